package dev.tributary.source.jdbc;

import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.testkit.SourceContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The source contract on a PostgreSQL table read incrementally by a timestamptz cursor, three rows per batch. */
class PostgresContractTest extends SourceContractTest {
    private TestDb db;
    private int nextId = 11;

    @BeforeEach
    void createTable() {
        db = TestDb.postgres("jdbc_contract");
        // Every three rows share an updated_at, so ties straddle batch boundaries.
        db.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(10,2), updated_at timestamptz NOT NULL)",
                "INSERT INTO orders SELECT g, 'customer ' || g, g * 1.25, timestamptz '2024-05-01 10:00:00.123456+00' + (g / 3) * interval '1 minute'"
                        + " FROM generate_series(1, 10) g");
    }

    @AfterEach
    void dropSchema() {
        if (db != null) db.close();
    }

    @Override
    protected Source source() {
        return new PostgresSource();
    }

    @Override
    protected Config config() {
        return db.config("{'batch_size': 3, 'overrides': {'orders': {'cursor': 'updated_at'}}}");
    }

    @Override
    protected String streamName() {
        return db.stream("orders");
    }

    @Override
    protected void appendData() {
        int id = nextId;
        nextId += 4;
        db.execute("INSERT INTO orders SELECT g, 'late ' || g, 9.99, timestamptz '2024-06-01 00:00:00+00' FROM generate_series(" + id + ", " + (id + 3) + ") g");
    }
}
