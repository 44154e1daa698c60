package dev.tributary.transform;

import java.util.Map;

/** A schema test (unique, not_null, accepted_values, relationships) with its arguments, before rendering. */
record GenericTest(String testName, String model, String column, Map<String, Object> kwargs) {}
