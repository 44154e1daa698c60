package dev.tributary.source.jdbc;

import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.spi.SyncMode;
import dev.tributary.testkit.SourceContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The source contract with full reads preferred: keyset pages on a two-column text and integer key, stopped and
 * resumed at every checkpoint. (The incremental parts of the contract use the table's cursor.)
 */
class PostgresFullReadContractTest extends SourceContractTest {
    private TestDb db;
    private int nextId = 100;

    @BeforeEach
    void createTable() {
        db = TestDb.postgres("jdbc_full");
        db.execute("CREATE TABLE accounts (region text, id int, name text, seen date NOT NULL, PRIMARY KEY (region, id))",
                "INSERT INTO accounts SELECT (ARRAY['EU', 'US', 'apac'])[g % 3 + 1], g, 'account ' || g, date '2024-01-01' + g"
                        + " FROM generate_series(1, 11) g");
    }

    @AfterEach
    void dropSchema() {
        if (db != null) db.close();
    }

    @Override
    protected SyncMode preferredMode() {
        return SyncMode.FULL_REFRESH;
    }

    @Override
    protected Source source() {
        return new PostgresSource();
    }

    @Override
    protected Config config() {
        return db.config("{'batch_size': 2, 'fetch_size': 1, 'overrides': {'accounts': {'cursor': 'seen'}}}");
    }

    @Override
    protected String streamName() {
        return db.stream("accounts");
    }

    @Override
    protected void appendData() {
        int id = nextId++;
        db.execute("INSERT INTO accounts VALUES ('EU', " + id + ", 'new', date '2030-01-01')");
    }
}
