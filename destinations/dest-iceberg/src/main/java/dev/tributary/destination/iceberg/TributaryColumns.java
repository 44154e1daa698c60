package dev.tributary.destination.iceberg;

import java.util.List;

/** The metadata columns Tributary adds to every lakehouse table, as in the other warehouses. */
final class TributaryColumns {
    static final String EXTRACTED_AT = "_tributary_extracted_at";
    static final String RUN_ID = "_tributary_run_id";
    static final String DELETED_AT = "_tributary_deleted_at";
    static final String TENANT = "_tributary_tenant";
    static final List<String> ALL = List.of(EXTRACTED_AT, RUN_ID, DELETED_AT, TENANT);
    static final String PREFIX = "_tributary";

    private TributaryColumns() {}

    static boolean isMetadata(String column) {
        return column.startsWith(PREFIX);
    }
}
