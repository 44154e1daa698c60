package dev.tributary.sandbox.hubspot.data;

/** One past value of a property, as propertiesWithHistory lists it (newest first). */
public record HistoryEntry(String value, long timestampMillis, String sourceType, String sourceId, Long updatedByUserId) {}
