package dev.tributary.transform;

/**
 * A {@link ProgressListener} that also implements this is told the time spent in each JDBC call of a command's
 * nodes and hooks (statements, result sets, metadata, commits): the time inside the warehouse, so that a benchmark
 * can tell Tributary's own share (rendering, DAG, bookkeeping) from the warehouse's. Called from worker threads.
 */
public interface JdbcTimer {
    void jdbcCall(long nanos);
}
