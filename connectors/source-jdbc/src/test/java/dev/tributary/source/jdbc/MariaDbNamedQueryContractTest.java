package dev.tributary.source.jdbc;

import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.testkit.SourceContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The source contract on a MariaDB named query (a join) with a key and a timestamp cursor; it names its tables' database, as the URL's is another. */
class MariaDbNamedQueryContractTest extends SourceContractTest {
    private TestDb db;
    private int nextId = 21;

    @BeforeEach
    void createTables() {
        db = TestDb.mariadb("jdbc_query");
        db.execute("CREATE TABLE customers (id int PRIMARY KEY, name varchar(40))",
                "INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace')",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int, amount decimal(10,2), updated_at timestamp(6) NOT NULL)",
                "INSERT INTO orders SELECT seq, seq % 2 + 1, seq * 2.5, TIMESTAMP'2024-05-01 10:00:00' + INTERVAL (seq DIV 4) SECOND FROM seq_1_to_20");
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
        return db.config("""
                {'batch_size': 4, 'tables': ['customers'], 'queries': [{'name': 'big_orders', 'primary_key': ['id'], 'cursor': 'updated_at',
                 'sql': 'select o.id, c.name, o.amount, o.updated_at from %1$s.orders o join %1$s.customers c on c.id = o.customer_id where o.amount > 10;'}]}""".formatted(db.schema()));
    }

    @Override
    protected String streamName() {
        return "big_orders";
    }

    @Override
    protected void appendData() {
        int id = nextId;
        nextId += 3;
        db.execute("INSERT INTO orders SELECT seq, 1, 100, TIMESTAMP'2024-07-01 00:00:00' FROM seq_" + id + "_to_" + (id + 2));
    }
}
