package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.Config;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.SyncMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every session reads inside a read-only snapshot transaction: it cannot write, and it does not see later commits. */
class ReadOnlyTest {
    private static List<Dialect> dialects(TestDb db) {
        return db.kind() == TestDb.Kind.POSTGRES ? List.of(new PostgresDialect(), new RedshiftDialect()) : List.of(new MySqlDialect());
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aWriteInsideTheReadTransactionIsRefused(TestDb.Kind kind) throws SQLException {
        try (TestDb db = TestDb.of(kind, "jdbc_ro")) {
            db.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            for (Dialect dialect : dialects(db)) {
                JdbcConfig config = JdbcConfig.from(db.config(), dialect);
                try (JdbcSession session = JdbcSession.open(dialect, config.connection()); Statement s = session.connection().createStatement()) {
                    List<String> writes = new ArrayList<>(List.of("INSERT INTO " + db.schema() + ".t VALUES (2)",
                            "UPDATE " + db.schema() + ".t SET id = 3", "DELETE FROM " + db.schema() + ".t",
                            // A read-only transaction alone lets MariaDB run DDL; the session's read-only setting refuses it too.
                            "CREATE TABLE " + db.schema() + ".u (id int)", "INSERT INTO " + db.schema() + ".t VALUES (4)"));
                    for (String write : writes) {
                        assertThatThrownBy(() -> s.execute(write)).as("%s: %s", dialect.type(), write)
                                .isInstanceOf(SQLException.class).satisfies(e -> {
                                    SQLException sql = (SQLException) e;
                                    assertThat(sql.getSQLState()).isEqualTo("25006");
                                });
                        if (kind == TestDb.Kind.POSTGRES) session.connection().rollback();
                    }
                }
            }
            try (var c = java.sql.DriverManager.getConnection(db.url()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + db.schema() + ".t")) {
                rs.next();
                assertThat(rs.getLong(1)).as("nothing was written").isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aReadIsOneSnapshot(TestDb.Kind kind) {
        try (TestDb db = TestDb.of(kind, "jdbc_ro")) {
            db.execute("CREATE TABLE t (id int PRIMARY KEY, v varchar(10))", "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
            Source source = db.source();
            Config config = db.config("{'batch_size': 2}");
            var stream = Reads.configured(source, config, db.stream("t"), SyncMode.FULL_REFRESH);
            List<Object> ids = new ArrayList<>();
            try (StreamReader reader = source.read(config, stream, Optional.empty())) {
                RecordBatch first = reader.next().orElseThrow();
                first.records().forEach(r -> ids.add(r.value(0)));
                db.execute("INSERT INTO t VALUES (5, 'new')", "UPDATE t SET v = 'changed' WHERE id = 4", "DELETE FROM t WHERE id = 3");
                List<Object> values = new ArrayList<>();
                for (Optional<RecordBatch> b = reader.next(); b.isPresent(); b = reader.next()) {
                    b.get().records().forEach(r -> {
                        ids.add(r.value(0));
                        values.add(r.value(1));
                    });
                }
                assertThat(ids).as("rows as they were when the read began").containsExactly(1L, 2L, 3L, 4L);
                assertThat(values).containsExactly("c", "d");
            }
        }
    }
}
