package dev.tributary.destination.iceberg;

import java.util.regex.Pattern;

/**
 * Hides secrets that a catalog URL may carry ({@code jdbc:postgresql://h/db?user=u&password=s},
 * {@code https://user:secret@host}) in any text about to be shown: error messages of the JDBC driver and of Iceberg
 * repeat the URL as given.
 */
public final class CatalogUrls {
    private static final Pattern PARAMETER = Pattern.compile("(?i)\\b(password|pwd|passwd|secret|token|sslpassword|credential)=([^&;\\s'\"]*)");
    private static final Pattern USER_INFO = Pattern.compile("(://[^/\\s:@'\"]+):([^/\\s@'\"]+)@");

    private CatalogUrls() {}

    /** {@code text} with every password-like URL parameter and URL user-info password replaced by {@code ***}. */
    public static String redact(String text) {
        if (text == null) return null;
        String out = PARAMETER.matcher(text).replaceAll("$1=***");
        return USER_INFO.matcher(out).replaceAll("$1:***@");
    }

    /**
     * {@code e} with its message and its causes' messages redacted: a new exception of the same kind of failure whose
     * message names the causes (redacted), without the causes themselves (their messages hold the secret).
     */
    public static RuntimeException redacted(RuntimeException e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !message.toString().contains(c.getMessage())) message.append(": ").append(c.getMessage());
        }
        String clean = redact(message.toString());
        if (clean.equals(message.toString()) ) return e;
        IllegalStateException out = new IllegalStateException(clean);
        out.setStackTrace(e.getStackTrace());
        return out;
    }
}
