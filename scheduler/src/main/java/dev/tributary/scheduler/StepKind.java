package dev.tributary.scheduler;

/** What a pipeline step does; the YAML key names it ({@code - sync: [hubspot]}, {@code - build: "+team_spending"}). */
public enum StepKind {
    /** sync connections into the destination */
    SYNC,
    /** seeds, snapshots, models, tests and checks in DAG order (tributary build) */
    BUILD,
    /** models only (tributary run) */
    RUN,
    /** tests only (tributary test) */
    TEST,
    /** data-quality checks only (tributary checks) */
    CHECKS,
    /** write a model or table to a file (Parquet or CSV) */
    EXPORT,
    /** maintain an Iceberg lakehouse destination: compact, expire-snapshots, remove-orphans (tributary lakehouse) */
    LAKEHOUSE
}
