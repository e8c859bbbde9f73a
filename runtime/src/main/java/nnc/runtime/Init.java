package nnc.runtime;

import java.util.Locale;
import java.util.Objects;

/** How a parameter starts. Text form (used in {@link ModelInfo}): {@code const:0.5}, {@code normal:0:0.1}, ... */
public sealed interface Init {
    record Constant(double value) implements Init {
        // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
        // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
        @Override public boolean equals(Object other) { return other instanceof Constant that && Double.compare(value, that.value) == 0; }
        @Override public int hashCode() { return Double.hashCode(value); }
    }
    record Normal(double mean, double std) implements Init {
        @Override public boolean equals(Object other) {
            return other instanceof Normal that && Double.compare(mean, that.mean) == 0 && Double.compare(std, that.std) == 0;
        }
        @Override public int hashCode() { return 31 * Double.hashCode(mean) + Double.hashCode(std); }
    }
    record Uniform(double low, double high) implements Init {
        @Override public boolean equals(Object other) {
            return other instanceof Uniform that && Double.compare(low, that.low) == 0 && Double.compare(high, that.high) == 0;
        }
        @Override public int hashCode() { return 31 * Double.hashCode(low) + Double.hashCode(high); }
    }
    /** Glorot/Xavier uniform: U(-a, a), a = sqrt(6 / (fanIn + fanOut)). */
    record Xavier() implements Init {
        @Override public boolean equals(Object other) { return other instanceof Xavier; }
        @Override public int hashCode() { return 0; }
    }
    /** He/Kaiming normal: N(0, sqrt(2 / fanIn)). */
    record He() implements Init {
        @Override public boolean equals(Object other) { return other instanceof He; }
        @Override public int hashCode() { return 0; }
    }
    /**
     * A (semi-)orthogonal matrix as {@code torch.nn.init.orthogonal_}: the Q of the QR decomposition of
     * a standard normal [dims[0], rest] matrix (transposed when wide), signs fixed so that R has a
     * positive diagonal. Rows (if wide) or columns are orthonormal.
     */
    record Orthogonal() implements Init {
        @Override public boolean equals(Object other) { return other instanceof Orthogonal; }
        @Override public int hashCode() { return 0; }
    }

    Init ZEROS = new Constant(0);

    default String encode() {
        if (this instanceof Constant c) return "const:" + c.value();
        if (this instanceof Normal n) return "normal:" + n.mean() + ":" + n.std();
        if (this instanceof Uniform u) return "uniform:" + u.low() + ":" + u.high();
        if (this instanceof Xavier) return "xavier";
        if (this instanceof He) return "he";
        if (this instanceof Orthogonal) return "orthogonal";
        throw new IllegalStateException("unexpected " + this.getClass().getSimpleName());
    }

    static Init decode(String text) {
        String[] p = text.split(":");
        return switch (p[0].toLowerCase(Locale.ROOT)) {
            case "const" -> new Constant(Double.parseDouble(p[1]));
            case "normal" -> new Normal(Double.parseDouble(p[1]), Double.parseDouble(p[2]));
            case "uniform" -> new Uniform(Double.parseDouble(p[1]), Double.parseDouble(p[2]));
            case "xavier" -> new Xavier();
            case "he" -> new He();
            case "orthogonal" -> new Orthogonal();
            default -> throw new IllegalArgumentException("unknown initialiser: " + text);
        };
    }
}
