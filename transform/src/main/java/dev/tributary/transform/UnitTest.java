package dev.tributary.transform;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A dbt 1.8 {@code unit_tests:} entry: the model's SQL run on fixed input rows, its result compared with the expected rows.
 *
 * @param modelId the unique id of the model under test
 * @param inputs  fixtures by what they stand for: {@code ref:<name>}, {@code ref:<package>.<name>} or {@code source:<source>.<table>}
 * @param expect  the expected rows
 */
record UnitTest(String modelId, Map<String, Fixture> inputs, Fixture expect) {
    UnitTest {
        requireNonNull(modelId, "modelId is null");
        inputs = Map.copyOf(inputs);
        requireNonNull(expect, "expect is null");
    }

    /**
     * Rows in one of dbt's formats.
     *
     * @param format   dict (rows are mappings), csv (rows are CSV text with a header) or sql (rows are a query)
     * @param rows     for dict, the rows as mappings (column to value); else empty
     * @param text     for csv and sql, the text; else null
     * @param location file:line of the fixture, for errors
     */
    record Fixture(String format, List<Map<String, Object>> rows, String text, String location) {}
}
