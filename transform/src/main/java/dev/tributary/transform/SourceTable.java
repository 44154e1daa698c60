package dev.tributary.transform;

import java.util.List;

/**
 * A table declared under {@code sources:} in a YAML file.
 *
 * @param database schema and identifier are rendered (sources YAML may hold Jinja in them)
 * @param warnAfter seconds, or null; likewise errorAfter
 */
public record SourceTable(String uniqueId, String sourceName, String tableName, String database, String schema, String identifier,
                          String loadedAtField, Long warnAfterSeconds, Long errorAfterSeconds, String description, String path,
                          List<String> tags) {}
