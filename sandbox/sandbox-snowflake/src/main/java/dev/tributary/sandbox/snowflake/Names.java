package dev.tributary.sandbox.snowflake;

import dev.tributary.sandbox.snowflake.SqlTokens.Kind;
import dev.tributary.sandbox.snowflake.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Snowflake object names: unquoted parts resolve upper-case, "quoted" parts as written. */
final class Names {
    private Names() {}

    /** The parts of the dotted name starting at token start ({@code db.schema.table}). */
    static List<String> dotted(List<Token> w, int start) {
        List<String> parts = new ArrayList<>();
        int i = start;
        while (i < w.size()) {
            Token t = w.get(i);
            if (t.kind() == Kind.WORD) parts.add(t.text().toUpperCase(Locale.ROOT));
            else if (t.kind() == Kind.QUOTED || t.kind() == Kind.STRING) parts.add(t.text());
            else break;
            if (i + 1 < w.size() && w.get(i + 1).isSymbol(".")) i += 2;
            else break;
        }
        if (parts.isEmpty()) throw SnowflakeError.syntax("an object name was expected" + (start < w.size() ? " at '" + w.get(start).text() + "'" : " at the end"));
        return parts;
    }

    /** How many tokens the dotted name at start spans. */
    static int length(List<Token> w, int start) {
        int n = 1;
        int i = start;
        while (i + 2 < w.size() && w.get(i + 1).isSymbol(".")) {
            i += 2;
            n += 2;
        }
        return n;
    }

    static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
