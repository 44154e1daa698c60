package dev.tributary.destination.warehouse;

import java.util.List;

/** The columns Tributary adds to every target table, and the names it keeps to itself. */
public final class MetadataColumns {
    public static final String EXTRACTED_AT = "_tributary_extracted_at";
    public static final String RUN_ID = "_tributary_run_id";
    public static final String DELETED_AT = "_tributary_deleted_at";
    public static final List<String> ALL = List.of(EXTRACTED_AT, RUN_ID, DELETED_AT);

    /** Our own tables and columns all start with this; normalised source names never do. */
    public static final String PREFIX = "_tributary";

    /**
     * The tenant of a multi-tenant connection's rows: a source field of this exact name (added by the project's
     * tenant wrapper) lands in a column of this name, as data; no other source name can normalise to it.
     */
    public static final String TENANT = "_tributary_tenant";

    private MetadataColumns() {}

    public static boolean isMetadata(String columnName) {
        return columnName.startsWith(PREFIX) && !columnName.equals(TENANT);
    }

    /** The type of a metadata column in this warehouse. */
    public static String sqlType(SqlDialect dialect, String metadataColumn) {
        return metadataColumn.equals(RUN_ID) ? dialect.textType() : dialect.timestampTzType();
    }

    /** The metadata columns' definitions, for CREATE TABLE. */
    public static String definitions(SqlDialect dialect) {
        StringBuilder out = new StringBuilder();
        for (String column : ALL) {
            if (!out.isEmpty()) out.append(", ");
            out.append(dialect.quote(column)).append(' ').append(sqlType(dialect, column));
        }
        return out.toString();
    }
}
