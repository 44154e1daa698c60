package dev.tributary.source.jdbc;

/** PostgreSQL tables, views and named queries ({@code type: postgres}). */
public final class PostgresSource extends JdbcSource {
    public PostgresSource() {
        super(new PostgresDialect(), "PostgreSQL tables, views and queries: keyset-paged full reads, incremental by cursor column");
    }
}
