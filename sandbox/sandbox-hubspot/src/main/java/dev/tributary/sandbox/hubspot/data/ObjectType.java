package dev.tributary.sandbox.hubspot.data;

import java.util.Locale;
import java.util.Optional;

/** The CRM object types the sandbox serves, with the names and type ids HubSpot accepts in paths. */
public enum ObjectType {
    CONTACTS("contacts", "0-1", "contact", "lastmodifieddate", "createdate"),
    COMPANIES("companies", "0-2", "company", "hs_lastmodifieddate", "createdate"),
    DEALS("deals", "0-3", "deal", "hs_lastmodifieddate", "createdate"),
    TICKETS("tickets", "0-5", "ticket", "hs_lastmodifieddate", "createdate"),
    PRODUCTS("products", "0-7", "product", "hs_lastmodifieddate", "createdate"),
    LINE_ITEMS("line_items", "0-8", "line_item", "hs_lastmodifieddate", "createdate"),
    /** The one custom object; its type id and fully qualified name depend on the portal. */
    SUBSCRIPTIONS("subscriptions", null, "subscription", "hs_lastmodifieddate", "hs_createdate");

    private final String pathName;
    private final String fixedTypeId;
    private final String singular;
    private final String modifiedProperty;
    private final String createdProperty;

    ObjectType(String pathName, String fixedTypeId, String singular, String modifiedProperty, String createdProperty) {
        this.pathName = pathName;
        this.fixedTypeId = fixedTypeId;
        this.singular = singular;
        this.modifiedProperty = modifiedProperty;
        this.createdProperty = createdProperty;
    }

    public String pathName() { return pathName; }
    public String singular() { return singular; }
    /** The property an incremental reader uses as its cursor: lastmodifieddate for contacts, hs_lastmodifieddate otherwise. */
    public String modifiedProperty() { return modifiedProperty; }
    public String createdProperty() { return createdProperty; }
    public boolean isCustom() { return fixedTypeId == null; }

    /** The custom object's type id in one portal: 2-&lt;n&gt; derived from the hub id. */
    public String typeId(long hubId) {
        return fixedTypeId != null ? fixedTypeId : "2-" + (hubId % 9_000_000 + 1_000_000);
    }

    /** The custom object's fully qualified name, p&lt;hubId&gt;_subscriptions. */
    public String fullyQualifiedName(long hubId) {
        return isCustom() ? "p" + hubId + "_" + pathName : pathName;
    }

    /** Resolves a path segment: a name (contacts, contact), a type id (0-1, 2-123) or a custom object's name. */
    public static Optional<ObjectType> resolve(String segment, long hubId) {
        String s = segment.toLowerCase(Locale.ROOT);
        for (ObjectType t : values()) {
            if (s.equals(t.pathName) || s.equals(t.singular) || s.equals(t.typeId(hubId))
                    || s.equals(t.fullyQualifiedName(hubId)) || (t.isCustom() && s.equals("p_" + t.pathName))) {
                return Optional.of(t);
            }
        }
        if (s.equals("line_item") || s.equals("lineitems")) return Optional.of(LINE_ITEMS);
        return Optional.empty();
    }
}
