package dev.tributary.source.jdbc;

import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.testkit.SourceContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The source contract on a MariaDB table read incrementally by a datetime(6) cursor, three rows per batch. */
class MariaDbContractTest extends SourceContractTest {
    private TestDb db;
    private int nextId = 11;

    @BeforeEach
    void createTable() {
        db = TestDb.mariadb("jdbc_contract");
        db.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer varchar(50) NOT NULL, amount decimal(10,2), updated_at datetime(6) NOT NULL)",
                "INSERT INTO orders SELECT seq, concat('customer ', seq), seq * 1.25,"
                        + " TIMESTAMP'2024-05-01 10:00:00.123456' + INTERVAL (seq DIV 3) MINUTE FROM seq_1_to_10");
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) db.close();
    }

    @Override
    protected Source source() {
        return new MySqlSource();
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
        db.execute("INSERT INTO orders SELECT seq, concat('late ', seq), 9.99, TIMESTAMP'2024-06-01 00:00:00' FROM seq_" + id + "_to_" + (id + 3));
    }
}
