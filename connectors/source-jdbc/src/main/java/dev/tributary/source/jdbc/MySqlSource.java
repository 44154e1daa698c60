package dev.tributary.source.jdbc;

/** MySQL and MariaDB tables, views and named queries ({@code type: mysql}). */
public final class MySqlSource extends JdbcSource {
    public MySqlSource() {
        super(new MySqlDialect(), "MySQL and MariaDB tables, views and queries: keyset-paged full reads, incremental by cursor column");
    }
}
