package dev.tributary.server;

/** A multi-tenant connection (a template): each tenant's copy is {@code <name>_<hub_id>} in schema {@code <schema>_<hub_id>}. */
public record TenantTemplate(String name, String type, String schema) {}
