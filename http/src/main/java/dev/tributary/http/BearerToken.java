package dev.tributary.http;

import static java.util.Objects.requireNonNull;

/** A static token (an API key or a private-app token). */
public final class BearerToken implements Authenticator {
    private final String token;

    public BearerToken(String token) {
        this.token = requireNonNull(token, "token is null");
        if (token.isBlank()) throw new IllegalArgumentException("token is blank");
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public boolean refreshAfterRejection(String rejected) {
        return false;
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
