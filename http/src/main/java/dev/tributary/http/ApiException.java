package dev.tributary.http;

/**
 * An API call that failed for good: the status, the call (method and path, never a query or a token), the API's
 * own message when the body has one, and a short excerpt of the body with any token removed.
 */
public class ApiException extends RuntimeException {
    private static final int EXCERPT = 500;
    private final int status;
    private final String bodyExcerpt;

    public ApiException(int status, String call, String apiMessage, String bodyExcerpt) {
        super(call + " failed with HTTP " + status + (apiMessage == null || apiMessage.isBlank() ? "" : ": " + apiMessage));
        this.status = status;
        this.bodyExcerpt = bodyExcerpt == null ? "" : bodyExcerpt;
    }

    public ApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.bodyExcerpt = "";
    }

    /** The HTTP status, or 0 when no answer came (connection failures). */
    public int status() {
        return status;
    }

    public String bodyExcerpt() {
        return bodyExcerpt;
    }

    static String excerpt(String body, String secret) {
        String s = body == null ? "" : body;
        if (secret != null && secret.length() >= 8) s = s.replace(secret, "[redacted]");
        return s.length() <= EXCERPT ? s : s.substring(0, EXCERPT) + "...";
    }
}
