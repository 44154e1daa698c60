package dev.tributary.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells where in the model file a database error is. The database counts lines of the statement it ran (the
 * compiled SQL inside a {@code CREATE TABLE ... AS}), so its {@code LINE 10} is neither the compiled file's line nor
 * the model's. The erroneous line's text (or the quoted name the error is about) is found in the compiled SQL, and
 * the compiled line is traced back to the model's line by matching the model's lines, their Jinja expressions as
 * wildcards, in order.
 */
final class SqlErrorLine {
    private static final Pattern DUCKDB_LINE = Pattern.compile("LINE (\\d+): ?(.*)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]{2,})\"");
    private static final Pattern JINJA = Pattern.compile("\\{\\{.*?}}|\\{%.*?%}|\\{#.*?#}");

    private SqlErrorLine() {}

    /** A line such as {@code at models/x.sql line 12 (compiled line 9 in target/compiled/p/models/x.sql)}, when it can be told. */
    static Optional<String> describe(String message, String compiledSql, Node n, String compiledFile) {
        if (message == null || compiledSql == null) return Optional.empty();
        int compiledLine = compiledLine(message, compiledSql.split("\n", -1));
        if (compiledLine < 1) return Optional.empty();
        boolean ownFile = n.type == ResourceType.MODEL || n.type == ResourceType.SNAPSHOT || (n.type == ResourceType.TEST && n.genericTest == null);
        int modelLine = ownFile ? modelLine(n.rawCode, compiledSql.split("\n", -1), compiledLine) : 0;
        if (modelLine < 1) {
            return Optional.of("at compiled line " + compiledLine + " of " + compiledFile + " (its line in " + n.path + " could not be told)");
        }
        return Optional.of("at " + n.path + " line " + (n.lineOffset + modelLine) + " (compiled line " + compiledLine + " in " + compiledFile + ")");
    }

    /** The 1-based line of the compiled SQL the error is on, or 0. */
    static int compiledLine(String message, String[] compiled) {
        Matcher m = DUCKDB_LINE.matcher(message);
        if (m.find()) {
            int statementLine = Integer.parseInt(m.group(1));
            String text = m.group(2).strip().replaceAll("^\\.\\.\\.|\\.\\.\\.$", "").strip();
            if (text.length() >= 3) {
                // the wrapper adds lines before the compiled SQL only: the last match at or before the statement's line
                int best = 0;
                for (int i = 0; i < compiled.length; i++) {
                    if (compiled[i].contains(text) && (i + 1 <= statementLine || best == 0)) best = i + 1;
                }
                if (best > 0) return best;
            }
            return 0;
        }
        Matcher q = QUOTED.matcher(message);
        while (q.find()) {
            String name = q.group(1).toLowerCase(Locale.ROOT);
            for (int i = 0; i < compiled.length; i++) {
                if (compiled[i].toLowerCase(Locale.ROOT).contains(name)) return i + 1;
            }
        }
        return 0;
    }

    /** The 1-based line of the model's raw code that produced compiled line {@code target}, or 0. */
    static int modelLine(String rawCode, String[] compiled, int target) {
        if (rawCode == null) return 0;
        String[] raw = rawCode.split("\n", -1);
        List<Pattern> patterns = new ArrayList<>();
        for (String line : raw) patterns.add(pattern(line));
        int next = 0;
        int found = 0;
        for (int i = 0; i < target && i < compiled.length; i++) {
            String c = compiled[i].strip();
            if (c.isEmpty()) continue;
            for (int r = next; r < raw.length; r++) {
                Pattern p = patterns.get(r);
                if (p != null && p.matcher(c).matches()) {
                    next = r + 1;
                    if (i == target - 1) found = r + 1;
                    break;
                }
            }
        }
        return found;
    }

    /** The raw line as a pattern, its Jinja as wildcards; null for a line with no SQL text of its own. */
    private static Pattern pattern(String rawLine) {
        String line = rawLine.strip();
        Matcher m = JINJA.matcher(line);
        StringBuilder p = new StringBuilder();
        int at = 0;
        boolean literal = false;
        while (m.find()) {
            String text = line.substring(at, m.start());
            if (!text.isBlank()) literal = true;
            p.append(Pattern.quote(text));
            if (m.group().startsWith("{{")) p.append(".*?");
            at = m.end();
        }
        String rest = line.substring(at);
        if (rest.contains("{{") || rest.contains("{%") || rest.contains("{#") || rest.contains("#}") || rest.contains("%}")) return null;
        if (!rest.isBlank()) literal = true;
        p.append(Pattern.quote(rest));
        if (!literal) return null;
        return Pattern.compile("\\s*" + p + "\\s*");
    }
}
