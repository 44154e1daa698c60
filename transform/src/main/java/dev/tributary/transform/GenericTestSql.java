package dev.tributary.transform;

import dev.tributary.spi.ConfigException;
import dev.tributary.transform.dialect.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The SQL of dbt's four generic tests, as Jinja templates selecting the failing rows. */
final class GenericTestSql {
    private GenericTestSql() {}

    static String template(String test, String relation, String column, Map<String, Object> args, Object where, Dialect dialect, String location) {
        String model = where == null ? relation : "(select * from " + relation + " where " + where + ") dbt_subquery";
        return switch (test) {
            case "not_null" -> "select " + column + "\nfrom " + model + "\nwhere " + column + " is null";
            case "unique" -> "select\n    " + column + " as unique_field,\n    count(*) as n_records\nfrom " + model + "\nwhere " + column
                    + " is not null\ngroup by " + column + "\nhaving count(*) > 1";
            case "accepted_values" -> {
                if (!(args.get("values") instanceof List<?> values) || values.isEmpty()) throw new ConfigException(location, "accepted_values", "needs a list of values");
                boolean quote = args.get("quote") == null || Boolean.parseBoolean(String.valueOf(args.get("quote")));
                List<String> literals = new ArrayList<>();
                for (Object v : values) literals.add(quote ? dialect.literal(String.valueOf(v)) : String.valueOf(v));
                yield "with all_values as (\n    select " + column + " as value_field, count(*) as n_records\n    from " + model + "\n    group by " + column
                        + "\n)\nselect *\nfrom all_values\nwhere value_field not in (" + String.join(", ", literals) + ")";
            }
            case "relationships" -> {
                Object to = args.get("to");
                Object field = args.get("field");
                if (to == null || field == null) throw new ConfigException(location, "relationships", "needs 'to' and 'field'");
                String parent = String.valueOf(to).trim();
                if (!parent.startsWith("{{")) parent = "{{ " + parent + " }}";
                yield "with child as (\n    select " + column + " as from_field\n    from " + model + "\n    where " + column + " is not null\n),\n"
                        + "parent as (\n    select " + field + " as to_field\n    from " + parent + "\n)\n"
                        + "select from_field\nfrom child\nleft join parent on child.from_field = parent.to_field\nwhere parent.to_field is null";
            }
            default -> throw new ConfigException(location, test, "unsupported generic test");
        };
    }
}
