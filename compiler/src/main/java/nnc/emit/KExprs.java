package nnc.emit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nnc.kir.KExpr;

/** Walks over kernel expressions: the loads they read and the axes their one-hot terms compare with. */
public final class KExprs {
    private KExprs() {}

    /** Every load of {@code e}, including the index loads of one-hot terms and both loads of gathers, in evaluation order, without repeats. */
    public static List<KExpr.Load> loads(KExpr e) { return new ArrayList<>(new LinkedHashSet<>(KExpr.loads(e))); }

    /** The domain axes whose loop index {@code e} reads: one-hot terms compare with it, index terms are it. */
    public static Set<Integer> oneHotAxes(KExpr e) {
        Set<Integer> out = new LinkedHashSet<>();
        collectOneHotAxes(e, out);
        return out;
    }

    private static void collectOneHotAxes(KExpr e, Set<Integer> out) {
        switch (e) {
            case KExpr.Unary u -> collectOneHotAxes(u.x(), out);
            case KExpr.Binary b -> {
                collectOneHotAxes(b.a(), out);
                collectOneHotAxes(b.b(), out);
            }
            case KExpr.Select s -> {
                collectOneHotAxes(s.cond(), out);
                collectOneHotAxes(s.a(), out);
                collectOneHotAxes(s.b(), out);
            }
            case KExpr.OneHot h -> out.add(h.axis());
            case KExpr.Index i -> out.add(i.axis()); // read as a loop variable of its own
            case KExpr.Load l -> { }
            case KExpr.Const c -> { }
            case KExpr.DimSize d -> { }
            case KExpr.Gather g -> { } // gather branch: its column is an ordinary load offset
        }
    }
}
