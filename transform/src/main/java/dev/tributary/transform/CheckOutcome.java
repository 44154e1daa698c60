package dev.tributary.transform;

import java.util.List;
import java.util.Map;

/**
 * The measurement of one data-quality check: the value, the thresholds it was compared to, and up to five
 * sample failing rows.
 */
public record CheckOutcome(String checkName, String checkType, String table, String column, Double value, String warnThreshold,
                           String failThreshold, List<Map<String, Object>> samples) {}
