package dev.tributary.transform;

/** A node's rendered SQL, from {@code compile}. */
public record CompiledNode(String uniqueId, String name, ResourceType resourceType, String path, String compiledSql) {}
