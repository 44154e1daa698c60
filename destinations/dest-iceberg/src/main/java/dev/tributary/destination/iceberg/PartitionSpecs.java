package dev.tributary.destination.iceberg;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;

/**
 * Partition specs written as terms: {@code col} or {@code identity(col)}, {@code year(col)}, {@code month(col)},
 * {@code day(col)}, {@code hour(col)}, {@code bucket(16, col)}, {@code truncate(4, col)}. Columns are named as the
 * source names them (normalised like every column).
 */
public final class PartitionSpecs {
    private static final Pattern CALL = Pattern.compile("\\s*([a-z_]+)\\s*\\(\\s*(?:(\\d+)\\s*,\\s*)?([^(),]+?)\\s*\\)\\s*");

    /** One parsed term. */
    public record Term(String transform, String column, int width) {}

    private PartitionSpecs() {}

    public static Term parseTerm(String text, Config where, String key) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw where.error(key, e.getMessage());
        }
    }

    static Term parse(String text) {
        String t = text.trim();
        if (!t.contains("(")) {
            if (t.isEmpty()) throw new IllegalArgumentException("empty partition term");
            return new Term("identity", t, 0);
        }
        Matcher m = CALL.matcher(t);
        if (!m.matches()) throw new IllegalArgumentException("cannot read partition term '" + text + "'; expected col, day(col), month(col), year(col), hour(col), bucket(16, col) or truncate(4, col)");
        String fn = m.group(1).toLowerCase(Locale.ROOT);
        String width = m.group(2);
        String column = m.group(3);
        return switch (fn) {
            case "identity", "year", "years", "month", "months", "day", "days", "hour", "hours" -> {
                if (width != null) throw new IllegalArgumentException("partition term '" + text + "': " + fn + " takes only a column");
                yield new Term(fn.endsWith("s") ? fn.substring(0, fn.length() - 1) : fn, column, 0);
            }
            case "bucket", "truncate" -> {
                if (width == null) throw new IllegalArgumentException("partition term '" + text + "': " + fn + " needs a width, such as " + fn + "(16, " + column + ")");
                int w = Integer.parseInt(width);
                if (w < 1) throw new IllegalArgumentException("partition term '" + text + "': width must be at least 1");
                yield new Term(fn, column, w);
            }
            default -> throw new IllegalArgumentException("unknown partition transform '" + fn + "' in '" + text
                    + "'; expected identity, year, month, day, hour, bucket or truncate");
        };
    }

    /**
     * The spec of {@code terms} on {@code schema}; {@code columnOf} turns a source column name into the table's
     * column. A term on a missing column, or a transform the column's type does not allow, is an error naming both.
     */
    public static PartitionSpec build(Schema schema, List<String> terms, UnaryOperator<String> columnOf, String table) {
        PartitionSpec.Builder b = PartitionSpec.builderFor(schema);
        for (String text : terms) {
            Term term = parse(text);
            String column = columnOf.apply(term.column());
            if (schema.findField(column) == null) {
                throw new ConfigException("", "", "table " + table + ": partition term '" + text + "' names column '" + term.column()
                        + "', which the stream does not have (columns: " + schema.columns().stream().map(f -> f.name()).toList() + ")");
            }
            try {
                switch (term.transform()) {
                    case "identity" -> b.identity(column);
                    case "year" -> b.year(column);
                    case "month" -> b.month(column);
                    case "day" -> b.day(column);
                    case "hour" -> b.hour(column);
                    case "bucket" -> b.bucket(column, term.width());
                    case "truncate" -> b.truncate(column, term.width());
                    default -> throw new IllegalStateException(term.transform());
                }
            } catch (IllegalArgumentException | org.apache.iceberg.exceptions.ValidationException e) {
                throw new ConfigException("", "", "table " + table + ": partition term '" + text + "' does not fit column '" + column + "' of type "
                        + schema.findField(column).type() + ": " + e.getMessage());
            }
        }
        return b.build();
    }
}
