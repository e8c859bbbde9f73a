package nnc.emit;

import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * One loop nest or call of a kernel method, as both emitters write it: its scalar form and its
 * vector form (the same when it has no {@link VectorPlan}), and the inner extent that chooses
 * between them (null without a plan). A method is a list of stages (a {@code Kernel.WithEpilogue}
 * has several).
 */
public record Stage(IntExpr vectorExtent, Runnable scalar, Runnable vector) {
    public static Stage scalarOnly(Runnable r) { return new Stage(null, r, r); }

    /**
     * Writes {@code stages} one after another: with a vector plan among them, {@code warmUp} first
     * (given the first plan's extent and the scalar forms of every stage, which give the same bits),
     * then every stage's vector form; else the scalar forms.
     */
    public static void emit(List<Stage> stages, BiConsumer<IntExpr, Runnable> warmUp) {
        IntExpr extent = stages.stream().map(Stage::vectorExtent).filter(Objects::nonNull).findFirst().orElse(null);
        if (extent == null) {
            for (Stage s : stages) s.scalar().run();
            return;
        }
        warmUp.accept(extent, () -> stages.forEach(s -> s.scalar().run()));
        for (Stage s : stages) s.vector().run();
    }
}
