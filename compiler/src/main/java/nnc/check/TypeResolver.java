package nnc.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nnc.diag.Span;
import nnc.runtime.DType;
import nnc.runtime.Limits;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Declared types ({@code f32[batch, 784]}) to {@link TensorType}s: known element types, sizes that
 * fit in an int, {@code batch} only as the first dimension, and no tensor with more elements than
 * a Java array can hold.
 */
final class TypeResolver {
    private TypeResolver() {}

    /** Elements of the largest tensor (per batch row): what one Java array holds. */
    static final long MAX_ELEMENTS = Limits.MAX_ARRAY_LENGTH;

    /** {@link #resolve(Ast.TypeExpr, boolean, TimeBinding)} where {@code time} is unbound. */
    static TensorType resolve(Ast.TypeExpr t, boolean parameter) { return resolve(t, parameter, TimeBinding.UNBOUND); }

    /**
     * @param parameter true for {@code param} declarations: f32 only, no batch dimension
     * @param time      what {@code time} stands for (see {@link TimeBinding}): a fixed length
     */
    static TensorType resolve(Ast.TypeExpr t, boolean parameter, TimeBinding time) {
        DType dtype = switch (t.dtype()) {
            case "f32" -> DType.F32;
            case "i32" -> DType.I32;
            default -> throw CheckFailure.error(dtypeSpan(t), "unknown element type '" + t.dtype() + "'",
                    hintOr(Suggest.didYouMean(t.dtype(), List.of("f32", "i32")), "element types are f32 and i32"));
        };
        if (parameter && dtype != DType.F32)
            throw CheckFailure.error(dtypeSpan(t), "a parameter must be f32, not " + t.dtype(), "parameters are trained, so they hold floats");
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < t.dims().size(); i++) dims.add(dim(t.dims().get(i), i, parameter, time));
        TensorType type = new TensorType(dtype, new Shape(dims));
        checkElementCount(type, t.span());
        return type;
    }

    private static Dim dim(Ast.DimExpr d, int index, boolean parameter, TimeBinding time) {
        if (d.symbol() != null) {
            switch (d.symbol()) {
                case "batch" -> {
                    if (parameter)
                        throw CheckFailure.error(d.span(), "a parameter cannot have a 'batch' dimension",
                                "parameter shapes are fixed; the batch size is only known at run time");
                    if (index != 0)
                        throw CheckFailure.error(d.span(), "'batch' can only be the first dimension", "write it first: f32[batch, ...]");
                    return Dim.BATCH;
                }
                case "time" -> {
                    if (!time.isBound())
                        throw CheckFailure.error(d.span(), "the length of the sequence dimension 'time' is unknown",
                                "train on sequence data (data sequence(length = 16, ...)) or pass --time N");
                    return Dim.of(time.length());
                }
                default -> throw CheckFailure.error(d.span(), "unknown dimension '" + d.symbol() + "'",
                        hintOr(Suggest.didYouMean(d.symbol(), Set.of("batch", "time")), "a dimension is a whole number, 'batch' or 'time'"));
            }
        }
        if (d.size() < 1) throw CheckFailure.error(d.span(), "a dimension must be at least 1, got " + d.size());
        if (d.size() > Integer.MAX_VALUE)
            throw CheckFailure.error(d.span(), "dimension " + d.size() + " is too large (at most " + Integer.MAX_VALUE + ")");
        return Dim.of(d.size());
    }

    /** Fails when {@code t} has more elements (per batch row) than an array can hold. */
    static void checkElementCount(TensorType t, Span span) {
        BigInteger n = BigInteger.ONE;
        for (Dim d : t.shape().dims()) if (d.isFixed()) n = n.multiply(BigInteger.valueOf(d.size()));
        if (n.compareTo(BigInteger.valueOf(MAX_ELEMENTS)) > 0)
            throw CheckFailure.error(span, t + " has " + n + " elements" + (t.shape().dims().contains(Dim.BATCH) ? " per batch row" : "")
                    + ", more than the " + MAX_ELEMENTS + " one Java array (a tensor) can hold");
    }

    private static Span dtypeSpan(Ast.TypeExpr t) {
        Span s = t.span();
        return new Span(s.file(), s.line(), s.column(), s.line(), s.column() + t.dtype().length());
    }

    static String hintOr(String hint, String fallback) { return hint != null ? hint : fallback; }
}
