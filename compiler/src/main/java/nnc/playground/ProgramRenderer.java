package nnc.playground;

import java.math.BigDecimal;

/**
 * Writes a {@link Program} as its canonical {@code .nn} source: model {@code Playground} with
 * hidden layers {@code h1 … hK}, {@code logits}, {@code output p}, and a train block whose
 * {@code validate} set is the test split. {@link ProgramReader} reads it back to the same program
 * (the test split exactly when {@code n × testFraction} is whole; with no hidden layer the
 * activation reads back as {@code tanh}).
 */
public final class ProgramRenderer {
    private ProgramRenderer() {}

    /** The canonical source of {@code p}. */
    public static String render(Program p) {
        StringBuilder s = new StringBuilder();
        s.append("model Playground {\n");
        s.append("  input  x: f32[batch, 2]\n");
        s.append("  target y: f32[batch, 1]\n");
        String previous = "x";
        for (int i = 0; i < p.hidden().size(); i++) {
            String name = "h" + (i + 1);
            String dense = "dense(" + previous + ", " + p.hidden().get(i) + ")";
            s.append("  ").append(pad(name)).append(" = ")
                    .append(p.activation().equals("linear") ? dense : p.activation() + "(" + dense + ")").append('\n');
            previous = name;
        }
        s.append("  ").append(pad("logits")).append(" = dense(").append(previous).append(", 1)\n");
        s.append("  output p = sigmoid(logits)\n");
        s.append("  loss   bce_with_logits(logits, y)");
        if (!p.regularization().equals("none")) s.append(" + ").append(number(p.regRate())).append(" * ").append(p.regularization()).append("(params)");
        s.append("\n}\n");
        s.append("train {\n");
        String source = "(n = %d, noise = " + number(p.noise()) + ")";
        s.append("  data      ").append(p.dataset()).append(source.formatted(p.trainRows())).append('\n');
        if (p.testRows() > 0) s.append("  validate  ").append(p.dataset()).append(source.formatted(p.testRows())).append('\n');
        s.append("  optimizer ").append(p.optimizer()).append("(lr = ").append(number(p.lr())).append(")\n");
        s.append("  batch     ").append(p.batch()).append('\n');
        s.append("  epochs    ").append(p.epochs()).append('\n');
        s.append("  seed      ").append(p.seed()).append('\n');
        s.append("}\n");
        return s.toString();
    }

    private static String pad(String name) { return name.length() >= 6 ? name : name + " ".repeat(6 - name.length()); }

    /** {@code d} in plain decimal notation, as short as it reads back to the same double ({@code 0.03}, {@code 0.0001}, {@code 2}). */
    static String number(double d) {
        String plain = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        return plain;
    }
}
