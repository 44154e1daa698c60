package dev.tributary.server;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** A small HTML builder: text is escaped on the way in, markup is appended raw. */
final class Html {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(4096);

    /** Appends markup as is: only for literals and output of other builders. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    Html text(Object value) {
        out.append(escape(value == null ? "" : String.valueOf(value)));
        return this;
    }

    /** {@code <tag attr="value">text</tag>} with both escaped. */
    Html element(String tag, String attributes, Object text) {
        out.append('<').append(tag);
        if (!attributes.isEmpty()) out.append(' ').append(attributes);
        out.append('>').append(escape(text == null ? "" : String.valueOf(text))).append("</").append(tag).append('>');
        return this;
    }

    Html td(Object text) {
        return element("td", "", text);
    }

    Html th(Object text) {
        return element("th", "", text);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** An attribute value, escaped: {@code name="value"}. */
    static String attr(String name, Object value) {
        return name + "=\"" + escape(String.valueOf(value)) + "\"";
    }

    /**
     * {@code text} in at most {@code max} characters: a longer one keeps its start and its end around an ellipsis, since
     * names shown side by side (models, campaigns) often share a long prefix and differ at the end.
     */
    static String cutMiddle(String text, int max) {
        if (text.length() <= max) return text;
        int tail = (max - 1) / 2;
        return text.substring(0, max - 1 - tail) + "…" + text.substring(text.length() - tail);
    }

    static String time(Optional<Instant> at) {
        return at.map(TIME::format).orElse("–");
    }

    static String time(Instant at) {
        return at == null ? "–" : TIME.format(at);
    }

    /** "1h 02m", "3m 05s", "12.3s". */
    /** As the scheduler's log says it: "4.2s", "42s", "2m 05s", "1h 02m". */
    static String duration(Duration d) {
        return d == null ? "–" : dev.tributary.scheduler.HumanDuration.format(d);
    }

    static String duration(Optional<Duration> d) {
        return d.map(Html::duration).orElse("–");
    }

    /** How long ago, for freshness: "5m ago". */
    static String age(Instant at, Instant now) {
        return at == null ? "never" : duration(Duration.between(at, now)) + " ago";
    }

    /** Encodes a path segment or query value. */
    static String url(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
