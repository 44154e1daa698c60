package dev.tributary.source.jdbc;

/** Amazon Redshift tables, views and named queries over the PostgreSQL protocol ({@code type: redshift}). */
public final class RedshiftSource extends JdbcSource {
    public RedshiftSource() {
        super(new RedshiftDialect(), "Amazon Redshift tables, views and queries (PostgreSQL protocol): full and incremental reads");
    }
}
