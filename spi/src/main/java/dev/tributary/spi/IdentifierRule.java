package dev.tributary.spi;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * How every warehouse turns source names into identifiers, so a field gets the same column name in each:
 * NFC, lower case, every run of characters other than Unicode letters, combining marks and digits becomes one
 * {@code _}, no {@code _} at either end, a {@code _} before a leading digit, {@code _} for nothing. Only the length
 * limit differs by warehouse (characters for DuckDB, UTF-8 bytes for PostgreSQL); a longer name keeps as many
 * whole characters as fit before {@code _} and an 8-digit hash of the whole name. Identifiers are always quoted.
 */
public record IdentifierRule(int maxLength, boolean countsBytes) {
    private static final int HASH_LENGTH = 8;

    public IdentifierRule {
        if (maxLength < 2 * (HASH_LENGTH + 1)) throw new IllegalArgumentException("maxLength too small: " + maxLength);
    }

    /** At most {@code max} characters (code points). */
    public static IdentifierRule characters(int max) {
        return new IdentifierRule(max, false);
    }

    /** At most {@code max} bytes of UTF-8, as PostgreSQL counts its 63-byte name limit. */
    public static IdentifierRule utf8Bytes(int max) {
        return new IdentifierRule(max, true);
    }

    public String normalise(String name) {
        String lower = Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        boolean pendingUnderscore = false;
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (isWordCharacter(cp)) {
                if (pendingUnderscore && !out.isEmpty()) out.append('_');
                pendingUnderscore = false;
                out.appendCodePoint(cp);
            } else {
                pendingUnderscore = true;
            }
        }
        if (out.isEmpty()) return "_";
        if (Character.isDigit(out.codePointAt(0))) out.insert(0, '_');
        return fit(out.toString());
    }

    /** {@code name} as it is when it fits; else cut, with a hash of the whole name. */
    public String fit(String name) {
        return length(name) <= maxLength ? name : shorten(name, "_" + hash(name));
    }

    /** {@code base}, or {@code base_2}, {@code base_3}... whichever is first not in {@code taken}, within the limit. */
    public String unique(String base, Set<String> taken) {
        if (!taken.contains(base)) return base;
        for (int n = 2; ; n++) {
            String candidate = shorten(base, "_" + n);
            if (!taken.contains(candidate)) return candidate;
        }
    }

    /** The identifier in double quotes (standard SQL), so that keywords and any character are safe. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The length of {@code s} in this rule's unit. */
    public int length(String s) {
        return countsBytes ? s.getBytes(StandardCharsets.UTF_8).length : s.codePointCount(0, s.length());
    }

    private static boolean isWordCharacter(int cp) {
        if (Character.isLetterOrDigit(cp)) return true;
        int type = Character.getType(cp);
        // Marks belong to the letter before them in many scripts (Devanagari vowel signs, decomposed accents).
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    /** {@code base} cut on a character boundary so that it and {@code suffix} fit, then the suffix. */
    private String shorten(String base, String suffix) {
        int room = maxLength - length(suffix);
        if (length(base) <= room) return base + suffix;
        int used = 0;
        int end = 0;
        while (end < base.length()) {
            int cp = base.codePointAt(end);
            int size = countsBytes ? utf8Length(cp) : 1;
            if (used + size > room) break;
            used += size;
            end += Character.charCount(cp);
        }
        String cut = base.substring(0, end);
        while (cut.endsWith("_")) cut = cut.substring(0, cut.length() - 1);
        return cut + suffix;
    }

    private static int utf8Length(int cp) {
        if (cp < 0x80) return 1;
        if (cp < 0x800) return 2;
        if (cp < 0x10000) return 3;
        return 4;
    }

    private static String hash(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        String hex = Long.toHexString(crc.getValue());
        return "0".repeat(HASH_LENGTH - hex.length()) + hex;
    }
}
