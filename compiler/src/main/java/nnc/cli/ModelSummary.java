package nnc.cli;

import nnc.check.CheckedModel;
import nnc.types.Dim;
import nnc.types.TensorType;

/** The human summary {@code nnc check} prints for a model that checks. */
final class ModelSummary {
    private ModelSummary() {}

    static String of(CheckedModel m) {
        int w = 16; // the name column widens for long layer names such as h.residual1.layer_norm1.gamma
        for (CheckedModel.Param p : m.params()) w = Math.max(w, p.name().length());
        String name = "%-" + w + "s";
        StringBuilder sb = new StringBuilder("model ").append(m.decl().name()).append(" (").append(m.decl().span().file()).append(")\n");
        for (CheckedModel.Value v : m.inputs()) sb.append(String.format("  input   " + name + " %s%n", v.name(), v.type()));
        for (CheckedModel.Value v : m.targets()) sb.append(String.format("  target  " + name + " %s%n", v.name(), v.type()));
        long total = 0;
        for (CheckedModel.Param p : m.params()) {
            long n = count(p.type());
            total += n;
            sb.append(String.format("  param   " + name + " %-16s %,d%n", p.name(), p.type(), n));
        }
        for (CheckedModel.Value v : m.outputs()) sb.append(String.format("  output  " + name + " %s%n", v.name(), v.type()));
        sb.append(String.format("  loss    %s%n", m.typeOf(m.loss())));
        for (String metric : m.metrics()) {
            String[] p = metric.split(":");
            sb.append(String.format("  metric  %s%n", p[0].equals("topk") ? "top_k(" + p[1] + ", " + p[2] + ", k = " + p[3] + ")" : p[0] + "(" + p[1] + ", " + p[2] + ")"));
        }
        sb.append(String.format("  %,d trainable parameters%n", total));
        return sb.toString();
    }

    private static long count(TensorType t) {
        long n = 1;
        for (Dim d : t.shape().dims()) n *= d.isFixed() ? d.size() : 1;
        return n;
    }
}
