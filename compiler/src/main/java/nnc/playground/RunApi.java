package nnc.playground;

/** The run endpoints (placeholder until runs land). */
final class RunApi {
    private RunApi() {}

    static void route(Runs runs, Exchange x, boolean get, boolean post) {
        throw new HttpFailure(404, "runs are not available yet");
    }
}
