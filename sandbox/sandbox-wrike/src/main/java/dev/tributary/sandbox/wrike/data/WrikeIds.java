package dev.tributary.sandbox.wrike.data;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Wrike's id and date styles. Ids are upper-case base32: an 8-character account id ({@code IEAGV2YA}), contact ids of 8
 * ({@code KUAJ3XQB}) and entity ids of 16 that start with the account id and a two-letter kind ({@code IEAGV2YAKQ...} for
 * tasks). Timestamps are UTC seconds with a Z ({@code 2022-09-20T07:55:57Z}); task plan dates are local
 * ({@code 2024-03-14T09:00:00}); tracked dates are days ({@code 2024-03-14}).
 */
public final class WrikeIds {
    private static final char[] B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** Kinds of entity id: the two letters after the account id. */
    public static final String FOLDER = "I4", TASK = "KQ", WORKFLOW = "K4", STATUS = "JM", FIELD = "JU", COMMENT = "IM",
            TIMELOG = "JR", ATTACHMENT = "IY", APPROVAL = "E5", DEPENDENCY = "JD";

    private WrikeIds() {}

    static String base32(long v, int len) {
        char[] out = new char[len];
        for (int i = len - 1; i >= 0; i--) {
            out[i] = B32[(int) (v & 31)];
            v >>>= 5;
        }
        return new String(out);
    }

    /** The account id for a seed: IEA + five characters. */
    public static String account(long seed) {
        return "IEA" + base32(Math.floorMod(seed * 2654435761L + 12345, 1L << 25), 5);
    }

    public static String contact(long seed, int index) {
        return "KU" + base32(Math.floorMod(seed * 31 + 7, 1L << 10) * 1_048_576L / 1024 * 1024 + index, 6);
    }

    public static String entity(String accountId, String kind, long index) {
        return accountId + kind + base32(index, 6);
    }

    public static String stamp(long epochMillis) { return STAMP.format(Instant.ofEpochMilli(epochMillis)); }

    public static String local(long epochMillis) { return LOCAL.format(LocalDateTime.ofEpochSecond(epochMillis / 1000, 0, ZoneOffset.UTC)); }

    public static String day(long epochMillis) { return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, 86_400_000L)).toString(); }

    /** Parses a Wrike timestamp (with or without Z; a bare day means its midnight UTC); null for null. */
    public static Long parseStamp(String s) {
        if (s == null) return null;
        String t = s.trim();
        if (t.length() == 10) return LocalDate.parse(t).toEpochDay() * 86_400_000L;
        if (!t.endsWith("Z")) t = t + "Z";
        return Instant.parse(t).toEpochMilli();
    }
}
