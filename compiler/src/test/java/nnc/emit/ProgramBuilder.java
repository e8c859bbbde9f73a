package nnc.emit;

import java.util.ArrayList;
import java.util.List;
import nnc.ir.BinaryFn;
import nnc.ir.IrModule;
import nnc.ir.UnaryFn;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.Size;

/** Builds Kernel IR programs by hand for emitter tests, plus short factories for kernel expressions. */
final class ProgramBuilder {
    static final Dim B = Dim.BATCH;

    private final String name;
    private final List<Buffer> buffers = new ArrayList<>();
    private final List<KernelProgram.Entry> entries = new ArrayList<>();
    private String loss = "";

    ProgramBuilder(String name) { this.name = name; }

    Buffer f32(String tensor, Role role, Object... dims) { return add(tensor, DType.F32, role, dims); }

    Buffer i32(String tensor, Role role, Object... dims) { return add(tensor, DType.I32, role, dims); }

    /** A temporary f32 buffer. */
    Buffer temp(String tensor, Object... dims) { return add(tensor, DType.F32, null, dims); }

    ProgramBuilder loss(Buffer b) {
        loss = b.name();
        return this;
    }

    ProgramBuilder entry(String entry, Kernel... kernels) {
        entries.add(new KernelProgram.Entry(entry, List.of(kernels)));
        return this;
    }

    KernelProgram build() {
        List<TensorSpec> specs = new ArrayList<>();
        for (Buffer b : buffers)
            if (b.role() != null)
                specs.add(new TensorSpec(b.name(), b.role(), b.dtype(), IrModule.runtimeDims(b.shape()),
                        b.role() == Role.PARAM ? new Init.Normal(0, 0.1) : null));
        return new KernelProgram(new ModelInfo(name, specs, loss, List.of()), buffers, entries);
    }

    private Buffer add(String tensor, DType dtype, Role role, Object... dims) {
        Buffer b = new Buffer(buffers.size(), tensor, dtype, shape(dims), role);
        buffers.add(b);
        return b;
    }

    /** A shape from ints and {@link Dim}s, e.g. {@code shape(B, 3)}. */
    static Shape shape(Object... dims) {
        List<Dim> d = new ArrayList<>();
        for (Object o : dims) d.add(o instanceof Dim dim ? dim : Dim.of(((Number) o).longValue()));
        return new Shape(d);
    }

    // ---- expressions ----

    /** A load reading {@code b} with the given strides (ints, or {@link Size}s such as {@link #batch()}). */
    static KExpr.Load load(Buffer b, Object... strides) {
        List<Size> s = new ArrayList<>();
        for (Object o : strides) s.add(o instanceof Size size ? size : Size.of(((Number) o).longValue()));
        return new KExpr.Load(b, s);
    }

    /** A load of {@code b} contiguous over {@code domain}. */
    static KExpr.Load flat(Buffer b, Shape domain) { return new KExpr.Load(b, domain.strides()); }

    static Size batch() { return Size.sym("batch"); }

    static KExpr c(float v) { return new KExpr.Const(v); }

    static KExpr un(UnaryFn fn, KExpr x) { return new KExpr.Unary(fn, x); }

    static KExpr bin(BinaryFn fn, KExpr a, KExpr b) { return new KExpr.Binary(fn, a, b); }

    static KExpr add(KExpr a, KExpr b) { return bin(BinaryFn.ADD, a, b); }

    static KExpr sub(KExpr a, KExpr b) { return bin(BinaryFn.SUB, a, b); }

    static KExpr mul(KExpr a, KExpr b) { return bin(BinaryFn.MUL, a, b); }

    static KExpr div(KExpr a, KExpr b) { return bin(BinaryFn.DIV, a, b); }
}
