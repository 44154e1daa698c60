package dev.tributary.sandbox.sheets.http;

/** An answer in Google's error shape: {@code {"error":{"code":403,"message":"...","status":"PERMISSION_DENIED"}}}. */
public final class GoogleError extends RuntimeException {
    private final int code;
    private final String status;
    private final String reason;

    public GoogleError(int code, String status, String message) {
        this(code, status, message, null);
    }

    public GoogleError(int code, String status, String message, String reason) {
        super(message);
        this.code = code;
        this.status = status;
        this.reason = reason;
    }

    public int code() { return code; }
    public String status() { return status; }
    public String reason() { return reason; }

    public static GoogleError notFound() {
        return new GoogleError(404, "NOT_FOUND", "Requested entity was not found.");
    }

    public static GoogleError denied() {
        return new GoogleError(403, "PERMISSION_DENIED", "The caller does not have permission");
    }

    public static GoogleError badRequest(String message) {
        return new GoogleError(400, "INVALID_ARGUMENT", message);
    }

    public static GoogleError unauthenticated() {
        return new GoogleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                + "login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.");
    }
}
