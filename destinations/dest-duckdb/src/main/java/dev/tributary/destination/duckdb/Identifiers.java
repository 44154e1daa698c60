package dev.tributary.destination.duckdb;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Turns source names into warehouse identifiers, predictably: NFC, lower case, every run of characters other than
 * Unicode letters, combining marks and digits becomes one {@code _}, no {@code _} at either end, a {@code _} before
 * a leading digit, {@code _} for nothing, and at most {@value #MAX_LENGTH} characters (longer names keep their first
 * characters and end in {@code _} and an 8-digit hash of the whole name). Identifiers are always quoted when used in SQL.
 */
final class Identifiers {
    static final int MAX_LENGTH = 120;
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
        String normalised = out.toString();
        return length(normalised) <= MAX_LENGTH ? normalised : shorten(normalised, "_" + hash(normalised));
    }

    /** {@code base}, or {@code base_2}, {@code base_3}... whichever is first not in {@code taken} (lower-case names). */
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

    private static boolean isWordCharacter(int cp) {
        if (Character.isLetterOrDigit(cp)) return true;
        int type = Character.getType(cp);
        // Marks belong to the letter before them in many scripts (Devanagari vowel signs, decomposed accents).
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    /** {@code base} cut so that it and {@code suffix} fit in {@link #MAX_LENGTH} characters, then the suffix. */
    private static String shorten(String base, String suffix) {
        int room = MAX_LENGTH - suffix.length();
        if (length(base) <= room) return base + suffix;
        String cut = base.substring(0, base.offsetByCodePoints(0, room));
        while (cut.endsWith("_")) cut = cut.substring(0, cut.length() - 1);
        return cut + suffix;
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String hash(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        String hex = Long.toHexString(crc.getValue());
        return "0".repeat(HASH_LENGTH - hex.length()) + hex;
    }
}
