package dev.tributary.http;

/** Supplies the bearer token for each call; may refresh it. Implementations are shared by every thread of one account. */
public interface Authenticator {
    /** The token to send now (refreshed first when it is about to expire). */
    String token();

    /**
     * The server refused {@code rejected} (HTTP 401). Returns true when a new token was obtained and the call is
     * worth one more try; false when nothing can be done (a static token).
     */
    boolean refreshAfterRejection(String rejected);
}
