package nnc.runtime;

import java.util.Locale;

/** How a parameter starts. Text form (used in {@link ModelInfo}): {@code const:0.5}, {@code normal:0:0.1}, ... */
public sealed interface Init {
    record Constant(double value) implements Init {}
    record Normal(double mean, double std) implements Init {}
    record Uniform(double low, double high) implements Init {}
    /** Glorot/Xavier uniform: U(-a, a), a = sqrt(6 / (fanIn + fanOut)). */
    record Xavier() implements Init {}
    /** He/Kaiming normal: N(0, sqrt(2 / fanIn)). */
    record He() implements Init {}
    /**
     * A (semi-)orthogonal matrix as {@code torch.nn.init.orthogonal_}: the Q of the QR decomposition of
     * a standard normal [dims[0], rest] matrix (transposed when wide), signs fixed so that R has a
     * positive diagonal. Rows (if wide) or columns are orthonormal.
     */
    record Orthogonal() implements Init {}

    Init ZEROS = new Constant(0);

    default String encode() {
        return switch (this) {
            case Constant c -> "const:" + c.value();
            case Normal n -> "normal:" + n.mean() + ":" + n.std();
            case Uniform u -> "uniform:" + u.low() + ":" + u.high();
            case Xavier x -> "xavier";
            case He h -> "he";
            case Orthogonal o -> "orthogonal";
        };
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
