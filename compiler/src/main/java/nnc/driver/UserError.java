package nnc.driver;

/** A problem with what the user asked for (not with nnc): printed as is, exit code 1. */
public final class UserError extends RuntimeException {
    public UserError(String message) { super(message); }

    public UserError(String message, Throwable cause) { super(message, cause); }
}
