package dev.tributary.sandbox.hubspot.data;

/** One association type between two object types: v4's category/typeId/label and the v3 name. */
public record AssociationType(String category, int typeId, String label, String v3Name) {
    public static AssociationType hubspot(int typeId, String label, String v3Name) {
        return new AssociationType("HUBSPOT_DEFINED", typeId, label, v3Name);
    }

    public static AssociationType user(int typeId, String label, String v3Name) {
        return new AssociationType("USER_DEFINED", typeId, label, v3Name);
    }
}
