package dev.tributary.destination.postgres;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Turns source names into PostgreSQL identifiers, predictably: NFC, lower case, every run of characters other than
 * Unicode letters, combining marks and digits becomes one {@code _}, no {@code _} at either end, a {@code _} before
 * a leading digit, {@code _} for nothing. PostgreSQL keeps only the first {@value #MAX_BYTES} bytes of a name and
 * silently drops the rest, so a longer name keeps as many whole characters as fit before {@code _} and an 8-digit
 * hash of the whole name. Identifiers are always quoted when used in SQL.
 */
final class Identifiers {
    /** NAMEDATALEN - 1: the longest name PostgreSQL stores, in bytes of the database encoding (UTF-8). */
    static final int MAX_BYTES = 63;
    private static final int HASH_LENGTH = 8;

    private Identifiers() {}

    static String normalise(String name) {
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

    /** {@code name} as it is when it fits in {@value #MAX_BYTES} bytes; else cut, with a hash of the whole name. */
    static String fit(String name) {
        return bytes(name) <= MAX_BYTES ? name : shorten(name, "_" + hash(name));
    }

    /** {@code base}, or {@code base_2}, {@code base_3}... whichever is first not in {@code taken}. */
    static String unique(String base, Set<String> taken) {
        if (!taken.contains(base)) return base;
        for (int n = 2; ; n++) {
            String candidate = shorten(base, "_" + n);
            if (!taken.contains(candidate)) return candidate;
        }
    }

    /** The identifier in double quotes, so that keywords and any character are safe. */
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The length of {@code s} in UTF-8, the unit of PostgreSQL's name limit. */
    static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean isWordCharacter(int cp) {
        if (Character.isLetterOrDigit(cp)) return true;
        int type = Character.getType(cp);
        // Marks belong to the letter before them in many scripts (Devanagari vowel signs, decomposed accents).
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    /** {@code base} cut on a character boundary so that it and {@code suffix} fit in {@link #MAX_BYTES}, then the suffix. */
    private static String shorten(String base, String suffix) {
        int room = MAX_BYTES - bytes(suffix);
        if (bytes(base) <= room) return base + suffix;
        int used = 0;
        int end = 0;
        while (end < base.length()) {
            int cp = base.codePointAt(end);
            int size = utf8Length(cp);
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
