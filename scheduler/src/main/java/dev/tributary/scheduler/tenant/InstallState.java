package dev.tributary.scheduler.tenant;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code state} of an install: {@code <nonce>.<expires-epoch-seconds>.<HMAC-SHA256>}, signed with the app's state
 * key. A state is accepted once (its nonce is kept in the tenant store until used or expired), before it expires, and
 * only with a valid signature: a forged, altered, replayed or stale state is refused.
 */
public final class InstallState {
    /** Why a state was refused (shown to the person installing; says nothing secret). */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private final byte[] key;
    private final TenantStore store;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    public InstallState(AppSettings app, TenantStore store) {
        this.key = app.stateKey();
        this.store = store;
        this.ttl = app.installStateTtl();
    }

    /** A new state, remembered as unused. */
    public String issue(Instant now) {
        byte[] n = new byte[18];
        random.nextBytes(n);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
        long expires = now.plus(ttl).getEpochSecond();
        store.issueState(nonce, Instant.ofEpochSecond(expires));
        String payload = nonce + "." + expires;
        return payload + "." + sign(payload);
    }

    /** Accepts a state once; throws {@link Refused} saying why it is not acceptable. */
    public void consume(String state, Instant now) {
        if (state == null || state.isBlank()) throw new Refused("the install came back without a state");
        String[] parts = state.split("\\.");
        if (parts.length != 3 || state.length() > 200) throw new Refused("the install's state is malformed");
        String payload = parts[0] + "." + parts[1];
        if (!MessageDigest.isEqual(sign(payload).getBytes(StandardCharsets.US_ASCII), parts[2].getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused("the install's state was not signed by this server (altered or forged)");
        }
        long expires;
        try {
            expires = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            throw new Refused("the install's state is malformed");
        }
        if (now.getEpochSecond() >= expires) throw new Refused("the install's state expired; start the install again");
        if (!store.consumeState(parts[0], now)) throw new Refused("the install's state was already used (a replayed callback); start the install again");
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
