package dev.tributary.destination.postgres;

/** Where a target's rejects land: {@code _tributary_rejects} of its schema (the kit's {@code RejectsTable}). */
final class RejectsTable {
    private RejectsTable() {}

    static TableName of(TableName target) {
        return target.sibling(dev.tributary.destination.warehouse.RejectsTable.NAME);
    }
}
