package dev.tributary.transform;

import java.util.List;
import java.util.Map;

/**
 * A data-quality check from a {@code checks:} list.
 *
 * @param kind row_count, missing_count, missing_percent, duplicate_count, invalid_count, invalid_percent, min, max,
 *             negative_count, freshness
 * @param relationTemplate {@code {{ ref('m') }}} or {@code {{ source('s','t') }}}
 * @param warn threshold such as {@code > 0}, or null; likewise fail
 */
record CheckSpec(String kind, String tableLabel, String relationTemplate, List<String> columns, Map<String, Object> params,
                 Threshold warn, Threshold fail, String where) {}
