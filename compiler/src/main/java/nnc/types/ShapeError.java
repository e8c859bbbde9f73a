package nnc.types;

/** A shape rule does not hold; the checker turns it into a diagnostic with a source span. */
public final class ShapeError extends Exception {
    private final String hint;

    public ShapeError(String message) { this(message, null); }

    public ShapeError(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    /** A suggestion for the user, or null. */
    public String hint() { return hint; }
}
