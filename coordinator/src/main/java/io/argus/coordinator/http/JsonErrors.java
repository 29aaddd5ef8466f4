package io.argus.coordinator.http;

/**
 * The gateway's typed errors that are raised in several places. Messages name what the client sent
 * wrong, never what failed inside (no exception class, no SQL or H2 text): those go to the log.
 */
final class JsonErrors {
    private JsonErrors() {
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "BAD_REQUEST", message);
    }

    /** A 500's body: the detail is in the coordinator's log, not in the answer. */
    static ApiException internal() {
        return new ApiException(500, "INTERNAL", "internal error; the coordinator's log has the detail");
    }

    /** The blocking executor's queue is full: try again shortly (503 carries Retry-After). */
    static ApiException overloaded() {
        return new ApiException(503, "OVERLOADED", "the coordinator is busy; retry later");
    }

    /** The client did not send its whole request within the deadline. */
    static ApiException requestTimeout(long deadlineMs) {
        return new ApiException(408, "REQUEST_TIMEOUT", "the request was not complete within " + deadlineMs + " ms");
    }
}
