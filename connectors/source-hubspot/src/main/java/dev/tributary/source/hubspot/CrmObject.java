package dev.tributary.source.hubspot;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A CRM object type as the source reads it: its stream name, the type used in API paths (a name or an object type
 * id such as {@code 2-1234567}), the property its modification time is in, and whether it is a custom object.
 */
record CrmObject(String stream, String apiType, String modifiedProperty, boolean custom) {
    CrmObject {
        requireNonNull(stream, "stream is null");
        requireNonNull(apiType, "apiType is null");
        requireNonNull(modifiedProperty, "modifiedProperty is null");
    }

    static final List<CrmObject> STANDARD = List.of(
            new CrmObject("contacts", "contacts", "lastmodifieddate", false),
            new CrmObject("companies", "companies", "hs_lastmodifieddate", false),
            new CrmObject("deals", "deals", "hs_lastmodifieddate", false),
            new CrmObject("tickets", "tickets", "hs_lastmodifieddate", false),
            new CrmObject("line_items", "line_items", "hs_lastmodifieddate", false),
            new CrmObject("products", "products", "hs_lastmodifieddate", false));

    /** Singular name used in association stream names: contact, company, deal, line_item... */
    String singular() {
        return switch (stream) {
            case "companies" -> "company";
            case "line_items" -> "line_item";
            default -> stream.endsWith("s") ? stream.substring(0, stream.length() - 1) : stream;
        };
    }
}
