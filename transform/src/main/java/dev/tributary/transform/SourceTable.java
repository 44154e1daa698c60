package dev.tributary.transform;

import java.util.List;

/**
 * A table declared under {@code sources:} in a YAML file.
 *
 * @param warnAfter seconds, or null; likewise errorAfter
 */
public record SourceTable(String uniqueId, String sourceName, String tableName, String schema, String identifier,
                          String loadedAtField, Long warnAfterSeconds, Long errorAfterSeconds, String description, String path,
                          List<String> tags) {}
