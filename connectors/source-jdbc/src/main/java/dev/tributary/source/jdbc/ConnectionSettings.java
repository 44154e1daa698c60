package dev.tributary.source.jdbc;

import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where and as whom to connect: the URL the driver gets, and driver properties that may hold the password.
 * Never printed: {@link #toString()} and {@link #redact} leave the password out of everything said about it.
 */
final class ConnectionSettings {
    private static final Pattern URL_SECRET = Pattern.compile("(?i)((?:password|pwd|sslpassword)=)[^&;\\s]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/:@\\s]*:)[^@/\\s]*@");

    private final String url;
    private final Properties properties;
    private final String password;

    ConnectionSettings(String url, Properties properties, String password) {
        this.url = url;
        this.properties = properties;
        this.password = password == null || password.isEmpty() ? null : password;
    }

    String url() {
        return url;
    }

    /** A copy of the driver properties, for the driver only. */
    Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** The URL without its query string or user info: {@code jdbc:postgresql://db:5432/app}, for messages. */
    String location() {
        String u = URL_USER_INFO.matcher(url).replaceAll("//");
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q);
    }

    /** {@code text} with the password, and anything that looks like one in a URL, replaced by ***. */
    String redact(String text) {
        if (text == null) return null;
        String out = text;
        if (password != null) out = out.replace(password, "***");
        for (String value : new String[] {properties.getProperty("password"), properties.getProperty("sslpassword")}) {
            if (value != null && !value.isEmpty()) out = out.replace(value, "***");
        }
        out = URL_SECRET.matcher(out).replaceAll("$1***");
        return URL_USER_INFO.matcher(out).replaceAll("$1***@");
    }

    @Override
    public String toString() {
        return redact(url);
    }
}
