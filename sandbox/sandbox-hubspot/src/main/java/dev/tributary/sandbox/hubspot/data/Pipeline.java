package dev.tributary.sandbox.hubspot.data;

import java.util.List;
import java.util.Map;

/** A deal or ticket pipeline with its stages. */
public record Pipeline(String id, String label, int displayOrder, List<Stage> stages, long createdAt, long updatedAt) {
    public record Stage(String id, String label, int displayOrder, Map<String, String> metadata) {}
}
