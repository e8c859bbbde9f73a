package nnc.playground;

import nnc.runtime.train.Json;

/** A request the playground refuses: an HTTP status and a message, answered as {@code {"error": "..."}}. */
final class HttpFailure extends RuntimeException {
    final int status;
    final Json body;

    HttpFailure(int status, String message) { this(status, message, Json.object().put("error", message)); }

    HttpFailure(int status, String message, Json body) {
        super(message, null, false, false);
        this.status = status;
        this.body = body;
    }

    static HttpFailure tooLarge(String message) { return new HttpFailure(413, message); }
}
