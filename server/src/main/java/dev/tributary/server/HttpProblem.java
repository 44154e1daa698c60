package dev.tributary.server;

/** Ends a request with a status and a message: JSON {"error": ...} under /api, an HTML page elsewhere. */
final class HttpProblem extends RuntimeException {
    private final int status;

    HttpProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
