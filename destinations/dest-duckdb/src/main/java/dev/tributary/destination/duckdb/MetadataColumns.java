package dev.tributary.destination.duckdb;

import java.util.List;

/** The columns Tributary adds to every target table, and the names it keeps to itself. */
final class MetadataColumns {
    static final String EXTRACTED_AT = "_tributary_extracted_at";
    static final String RUN_ID = "_tributary_run_id";
    static final String DELETED_AT = "_tributary_deleted_at";
    static final List<String> ALL = List.of(EXTRACTED_AT, RUN_ID, DELETED_AT);

    /** Our own tables and columns all start with this; normalised source names never do. */
    static final String PREFIX = "_tributary";

    private MetadataColumns() {}

    /**
     * The tenant of a multi-tenant connection's rows: a source field of this exact name (added by the project's
     * tenant wrapper) lands in a column of this name, as data; no other source name can normalise to it.
     */
    static final String TENANT = "_tributary_tenant";

    static boolean isMetadata(String columnName) {
        return columnName.startsWith(PREFIX) && !columnName.equals(TENANT);
    }

    /** The metadata columns' definitions, for CREATE TABLE. */
    static String definitions() {
        return Identifiers.quote(EXTRACTED_AT) + " TIMESTAMPTZ, " + Identifiers.quote(RUN_ID) + " VARCHAR, "
                + Identifiers.quote(DELETED_AT) + " TIMESTAMPTZ";
    }
}
