package nnc.passes;

import static nnc.ir.BinaryFn.ADD;
import static nnc.ir.BinaryFn.DIV;
import static nnc.ir.BinaryFn.MUL;
import static nnc.ir.BinaryFn.POW;
import static nnc.ir.BinaryFn.SUB;
import static nnc.ir.UnaryFn.NEG;
import static nnc.ir.UnaryFn.SIGMOID;
import static nnc.ir.UnaryFn.SILU;
import static nnc.passes.Pattern.bin;
import static nnc.passes.Pattern.c;
import static nnc.passes.Pattern.un;
import static nnc.passes.Pattern.var;

import java.util.List;
import nnc.ir.Op;

/**
 * The rule table of {@link Simplify}. Each rule says why it is (or is not) exact for every f32
 * value, including −0, ±∞ and NaN (NaN payloads are not distinguished: Java compares them as one
 * value). Safe rules change no result bit; unsafe ones are opt-in.
 */
final class SimplifyRules {
    private SimplifyRules() {}

    private static final Pattern X = var("x"), Y = var("y");

    static final List<RewriteRule> SAFE = List.of(
            new RewriteRule("mul-one", true, "x·1 is exact for every x: −0·1 = −0, ±∞·1 = ±∞, NaN·1 = NaN",
                    bin(MUL, X, c(1)), X),
            new RewriteRule("div-one", true, "x/1 is exact for every x, as x·1",
                    bin(DIV, X, c(1)), X),
            new RewriteRule("sub-zero", true, "x − (+0) = x for every x, also −0 − 0 = −0",
                    bin(SUB, X, c(0)), X),
            new RewriteRule("add-neg-zero", true, "x + (−0) = x for every x, also −0 + −0 = −0 and +0 + −0 = +0",
                    bin(ADD, X, c(-0.0)), X),
            new RewriteRule("pow-one", true, "Math.pow(x, 1) returns x (its specification), and x is already an f32",
                    bin(POW, X, c(1)), X),
            new RewriteRule("neg-neg", true, "negation only flips the sign bit",
                    un(NEG, un(NEG, X)), X),
            new RewriteRule("mul-minus-one", true, "x·(−1) is exact and flips the sign bit, as −x does",
                    bin(MUL, X, c(-1)), un(NEG, X)),
            new RewriteRule("add-neg", true, "IEEE 754 defines x − y as x + (−y): the same rounding",
                    bin(ADD, X, un(NEG, Y)), bin(SUB, X, Y)),
            new RewriteRule("sub-neg", true, "x − (−y) is x + y by the same definition",
                    bin(SUB, X, un(NEG, Y)), bin(ADD, X, Y)),
            new RewriteRule("silu-sigmoid", true, "silu(x) is x·σ(x) in every back end (ScalarMath.silu, VectorMath.silu): the same "
                    + "operations; written out, σ(x) is one node with the σ(x) of silu's derivative (CSE), so a trained silu "
                    + "computes one exponential per point, not two, and its kernel stays within C2's inlining budget",
                    un(SILU, X), bin(MUL, X, un(SIGMOID, X))),
            new RewriteRule("broadcast-broadcast", true, "moves elements only: one broadcast to the outer shape reads the same elements",
                    new Pattern.ApplyKind("outer", Op.Broadcast.class, List.of(new Pattern.ApplyKind("inner", Op.Broadcast.class, List.of(X)))),
                    new Pattern.ApplyKind("outer", Op.Broadcast.class, List.of(X))),
            new RewriteRule("reshape-reshape", true, "reshapes keep row-major order: only the last one matters",
                    new Pattern.ApplyKind("outer", Op.Reshape.class, List.of(new Pattern.ApplyKind("inner", Op.Reshape.class, List.of(X)))),
                    new Pattern.ApplyKind("outer", Op.Reshape.class, List.of(X))));

    static final List<RewriteRule> UNSAFE = List.of(
            new RewriteRule("add-zero", false, "wrong for x = −0: −0 + 0 = +0",
                    bin(ADD, X, c(0)), X),
            new RewriteRule("mul-zero", false, "wrong for x = ±∞ or NaN (gives NaN) and for negative x (gives −0)",
                    bin(MUL, X, c(0)), c(0)),
            new RewriteRule("sub-self", false, "wrong for x = ±∞ or NaN: the difference is NaN",
                    bin(SUB, X, X), c(0)),
            new RewriteRule("div-self", false, "wrong for x = 0, ±∞ or NaN: the quotient is NaN",
                    bin(DIV, X, X), c(1)),
            new RewriteRule("neg-sub", false, "wrong when x = y: −(x − y) = −0 but y − x = +0",
                    un(NEG, bin(SUB, X, Y)), bin(SUB, Y, X)));
}
