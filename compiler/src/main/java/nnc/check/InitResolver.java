package nnc.check;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.TensorType;

/**
 * The initialiser of a declared parameter: a number, {@code zeros}, {@code ones},
 * {@code normal(mean, std)}, {@code uniform(low, high)}, {@code xavier}, {@code he},
 * {@code orthogonal} (torch.nn.init.orthogonal_); when absent,
 * xavier for matrices and zeros otherwise.
 */
final class InitResolver {
    private InitResolver() {}

    private static final List<String> NAMES = List.of("zeros", "ones", "normal", "uniform", "xavier", "he", "orthogonal");

    /** Records the type of every node of {@code init} in {@code types}: the parameter's type, numbers f32[]. */
    static Init resolve(Ast.ParamDecl decl, TensorType type, Map<Ast.Expr, TensorType> types) {
        Ast.Expr init = decl.init();
        if (init == null) return type.rank() == 2 ? new Init.Xavier() : Init.ZEROS;
        Init result = resolve(init, decl.name(), type);
        if (init instanceof Ast.Call c) for (Ast.Arg a : c.args()) ConstEval.forEachNode(a.value(), e -> types.put(e, TensorType.F32_SCALAR));
        else ConstEval.forEachNode(init, e -> types.put(e, TensorType.F32_SCALAR));
        types.put(init, type);
        return result;
    }

    private static Init resolve(Ast.Expr init, String param, TensorType type) {
        OptionalDouble constant = ConstEval.eval(init);
        if (constant.isPresent()) return new Init.Constant(finite(constant.getAsDouble(), init));
        String name = switch (init) {
            case Ast.NameRef n -> n.name();
            case Ast.Call c -> c.callee();
            default -> throw CheckFailure.error(init.span(), "an initialiser is a number or one of " + String.join(", ", NAMES));
        };
        Init result = switch (name) {
            case "zeros" -> Init.ZEROS;
            case "ones" -> new Init.Constant(1);
            case "xavier", "he" -> {
                if (type.rank() != 2)
                    throw CheckFailure.error(init.span(), name + " initialisation needs a matrix, but '" + param + "' is " + type,
                            "use zeros or normal(0, 0.1) for it");
                yield name.equals("xavier") ? new Init.Xavier() : new Init.He();
            }
            case "normal" -> {
                double[] a = twoNumbers(init, "normal", "mean", "std");
                if (a[1] < 0) throw CheckFailure.error(init.span(), "the standard deviation of normal(...) must not be negative");
                yield new Init.Normal(a[0], a[1]);
            }
            case "uniform" -> {
                double[] a = twoNumbers(init, "uniform", "low", "high");
                if (a[1] < a[0]) throw CheckFailure.error(init.span(), "uniform(low, high) needs low <= high");
                yield new Init.Uniform(a[0], a[1]);
            }
            case "orthogonal" -> {
                if (type.rank() < 2)
                    throw CheckFailure.error(init.span(), "orthogonal initialisation needs a matrix, but '" + param + "' is " + type,
                            "use zeros or normal(0, 0.1) for it");
                yield new Init.Orthogonal();
            }
            default -> throw CheckFailure.error(init.span(), "unknown initialiser '" + name + "'",
                    TypeResolver.hintOr(Suggest.didYouMean(name, NAMES), "initialisers: a number, " + String.join(", ", NAMES)));
        };
        boolean isCall = init instanceof Ast.Call;
        boolean needsCall = name.equals("normal") || name.equals("uniform");
        if (isCall != needsCall)
            throw CheckFailure.error(init.span(), needsCall ? name + " needs arguments: " + name + "(" + (name.equals("normal") ? "mean, std" : "low, high") + ")"
                    : "'" + name + "' takes no arguments", null);
        return result;
    }

    private static double[] twoNumbers(Ast.Expr init, String name, String first, String second) {
        if (!(init instanceof Ast.Call c)) return new double[2];
        if (c.args().size() != 2)
            throw CheckFailure.error(init.span(), name + " takes 2 arguments (" + first + ", " + second + "), got " + c.args().size(),
                    "e.g. " + name + "(" + (name.equals("normal") ? "0, 0.1" : "-0.1, 0.1") + ")");
        double[] out = new double[2];
        boolean[] given = new boolean[2];
        for (int i = 0; i < 2; i++) {
            Ast.Arg a = c.args().get(i);
            int slot = a.name() == null ? i : a.name().equals(first) ? 0 : a.name().equals(second) ? 1 : -1;
            if (slot < 0)
                throw CheckFailure.error(a.span(), name + " has no argument '" + a.name() + "'",
                        TypeResolver.hintOr(Suggest.didYouMean(a.name(), List.of(first, second)), "its arguments are " + first + " and " + second));
            if (given[slot]) throw CheckFailure.error(a.span(), "argument '" + (slot == 0 ? first : second) + "' is given twice");
            given[slot] = true;
            OptionalDouble v = ConstEval.eval(a.value());
            if (v.isEmpty()) throw CheckFailure.error(a.value().span(), "the " + (slot == 0 ? first : second) + " of " + name + "(...) must be a number");
            out[slot] = finite(v.getAsDouble(), a.value());
        }
        return out;
    }

    private static double finite(double v, Ast.Expr at) {
        if (!Double.isFinite(v)) throw CheckFailure.error(at.span(), "the initial value must be a finite number, got " + v);
        return v;
    }
}
