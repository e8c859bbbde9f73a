package nnc.ir;

/** Double-precision reference functions the JDK lacks, independent of the runtime's f32 versions. */
public final class F64Math {
    private F64Math() {}

    /** 1 / (1 + e^−x). */
    public static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** log(1 + e^x) without overflow: max(x, 0) + log1p(e^−|x|). */
    public static double softplus(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }

    /**
     * erf in double precision (about 1e-15 relative):
     * erf(x) = P(1/2, x²), the regularised lower incomplete gamma function, by its series below
     * x² &lt; 1.5 and by the continued fraction of Q = 1 − P above (Numerical Recipes' gser/gcf).
     */
    public static double erf(double x) {
        if (x == 0 || Double.isNaN(x)) return x;
        if (Double.isInfinite(x)) return Math.signum(x);
        double t = x * x, p;
        double lnGammaHalf = 0.5 * Math.log(Math.PI);
        if (t < 1.5) {
            double ap = 0.5, sum = 1 / 0.5, del = sum;
            for (int n = 0; n < 500 && Math.abs(del) > Math.abs(sum) * 1e-17; n++) {
                ap += 1;
                del *= t / ap;
                sum += del;
            }
            p = sum * Math.exp(-t + 0.5 * Math.log(t) - lnGammaHalf);
        } else {
            double b = t + 1 - 0.5, c = 1 / 1e-300, d = 1 / b, h = d;
            for (int i = 1; i < 500; i++) {
                double an = -i * (i - 0.5);
                b += 2;
                d = an * d + b;
                if (Math.abs(d) < 1e-300) d = 1e-300;
                c = b + an / c;
                if (Math.abs(c) < 1e-300) c = 1e-300;
                d = 1 / d;
                double del = d * c;
                h *= del;
                if (Math.abs(del - 1) < 1e-17) break;
            }
            p = 1 - Math.exp(-t + 0.5 * Math.log(t) - lnGammaHalf) * h;
        }
        return x < 0 ? -p : p;
    }
}
