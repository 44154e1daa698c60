package dev.tributary.bench;

import dev.tributary.engine.RunListener;
import dev.tributary.engine.SyncResult;
import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Two figures for the PostgreSQL warehouse and the database sources:
 * <ol>
 *   <li>N rows (15 columns) from a CSV file through the files source into PostgreSQL, against {@code psql \copy} of
 *       the same CSV into a table of the same types: both rates and the ratio (aim: at least 0.70).</li>
 *   <li>The N rows read back from that PostgreSQL table through the postgres source into DuckDB: the rate, peak
 *       heap and peak RSS.</li>
 * </ol>
 * Usage: {@code PostgresBenchmark [rows] [work-dir] [jdbc-url]}; defaults 2,000,000, a temporary folder and the
 * local test database. Creates and drops the schemas {@code bench_copy}, {@code bench_files}.
 */
public final class PostgresBenchmark {
    private static final String COLUMNS = "id bigint, account text, first_name text, last_name text, email text, country text,"
            + " seats bigint, logins bigint, mrr numeric(38,9), churn_risk double precision, active boolean, signup_date date,"
            + " last_seen timestamp, updated_at timestamptz, plan text";

    private PostgresBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 2_000_000;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tributary-pg-bench");
        String url = args.length > 2 ? args[2] : "jdbc:postgresql://127.0.0.1:5432/test?user=" + System.getProperty("user.name");
        Files.createDirectories(work.resolve("data"));
        Path csv = work.resolve("data/accounts.csv");
        if (!Files.exists(csv)) {
            long t = System.nanoTime();
            generate(csv, rows);
            System.out.printf("generated %,d rows (%,d MB) in %.1fs%n", rows, Files.size(csv) >> 20, (System.nanoTime() - t) / 1e9);
        }
        System.out.printf("input: %s, %,d MB; Java %s, max heap %,d MB, %d cores%n", csv, Files.size(csv) >> 20, Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        execute(url, "DROP SCHEMA IF EXISTS bench_copy CASCADE", "DROP SCHEMA IF EXISTS bench_files CASCADE",
                "CREATE SCHEMA bench_copy", "CREATE TABLE bench_copy.accounts (" + COLUMNS + ", primary key (id))",
                "CREATE TABLE bench_copy.accounts_without_key (" + COLUMNS + ")");

        // Tributary's append table has no key index to maintain, so the fair comparison is a table without one.
        double keyedCopyRate = psqlCopy(url, csv, rows, "bench_copy.accounts");
        double copyRate = psqlCopy(url, csv, rows, "bench_copy.accounts_without_key");
        execute(url, "DROP TABLE bench_copy.accounts_without_key");
        double filesRate = filesToPostgres(work, url, rows);
        HeapProbe heap = new HeapProbe();
        double readRate = postgresToDuckDb(work, url, rows);

        System.out.println();
        System.out.printf("psql \\copy (CSV), key index  : %,12.0f rows/s%n", keyedCopyRate);
        System.out.printf("psql \\copy (CSV), no index   : %,12.0f rows/s%n", copyRate);
        System.out.printf("Tributary files -> postgres : %,12.0f rows/s%n", filesRate);
        System.out.printf("ratio (to no index)         : %12.2f (aim >= 0.70)%n", filesRate / copyRate);
        System.out.printf("Tributary postgres -> duckdb: %,12.0f rows/s%n", readRate);
        System.out.printf("peak heap (read)            : %,12d MB%n", heap.peakMb());
        System.out.printf("peak RSS of this process    : %,12d MB%n", HeapProbe.peakRssMb());
    }

    private static double psqlCopy(String url, Path csv, int rows, String table) throws Exception {
        String conninfo = url.replace("jdbc:", "").replace("?user=", "?user=");
        long start = System.nanoTime();
        Process p = new ProcessBuilder("psql", conninfo, "-v", "ON_ERROR_STOP=1", "-q", "-c",
                "\\copy " + table + " from '" + csv + "' with (format csv, header true)")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException("psql failed: " + out);
        double seconds = (System.nanoTime() - start) / 1e9;
        long loaded = count(url, table);
        if (loaded != rows) throw new IllegalStateException("psql loaded " + loaded);
        System.out.printf("psql \\copy into %s: %,d rows in %.2fs%n", table, rows, seconds);
        return rows / seconds;
    }

    private static double filesToPostgres(Path work, String url, int rows) throws IOException, SQLException {
        Path project = work.resolve("files-project");
        Files.createDirectories(project);
        Files.writeString(project.resolve("tributary.yml"), """
                destination:
                  type: postgres
                  url: "%s"
                connections:
                  bench_files:
                    type: files
                    config:
                      base_path: %s
                      streams:
                        - name: accounts
                          path: accounts.csv
                          format: csv
                          types: {id: integer, mrr: decimal, churn_risk: number, updated_at: timestamp_tz}
                    streams:
                      accounts: {write_mode: append}
                """.formatted(url, work.resolve("data")));
        long start = System.nanoTime();
        SyncResult result = sync(project, "bench_files");
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!result.ok() || result.records() != rows || count(url, "bench_files.accounts") != rows) {
            throw new IllegalStateException("files -> postgres did not load every row: " + result);
        }
        System.out.printf("Tributary files -> postgres: %,d rows in %.2fs%n", rows, seconds);
        return rows / seconds;
    }

    private static double postgresToDuckDb(Path work, String url, int rows) throws IOException {
        Path project = work.resolve("read-project");
        Files.createDirectories(project);
        Path db = work.resolve("read.duckdb");
        Files.deleteIfExists(db);
        Files.deleteIfExists(work.resolve("read.duckdb.wal"));
        Files.writeString(project.resolve("tributary.yml"), """
                destination:
                  type: duckdb
                  path: %s
                connections:
                  product:
                    type: postgres
                    config:
                      url: "%s"
                      schemas: [bench_copy]
                    streams:
                      bench_copy.accounts: {write_mode: append}
                """.formatted(db, url));
        long start = System.nanoTime();
        SyncResult result = sync(project, "product");
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!result.ok() || result.records() != rows) throw new IllegalStateException("postgres -> duckdb: " + result);
        System.out.printf("Tributary postgres -> duckdb: %,d rows in %.2fs%n", rows, seconds);
        return rows / seconds;
    }

    private static SyncResult sync(Path project, String connection) {
        Connectors connectors = Connectors.discover();
        try (Workspace w = new Workspace(Project.load(project, Map.of(), connectors), connectors)) {
            return w.sync(connection, Set.of(), true, RunListener.NONE); // full refresh: state from an earlier run must not skip the file
        }
    }

    private static void generate(Path file, int rows) throws IOException {
        Random r = new Random(6);
        String[] countries = {"US", "DE", "GB", "FR", "JP", "BR", "IN", "SE", "NL", "ES"};
        String[] plans = {"free", "starter", "team", "business", "enterprise"};
        LocalDateTime base = LocalDateTime.of(2022, 1, 1, 0, 0);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,account,first_name,last_name,email,country,seats,logins,mrr,churn_risk,active,signup_date,last_seen,updated_at,plan\n");
            StringBuilder sb = new StringBuilder(300);
            for (int i = 1; i <= rows; i++) {
                sb.setLength(0);
                LocalDateTime seen = base.plusSeconds(r.nextInt(60 * 60 * 24 * 1000));
                sb.append(i).append(",acct-").append(r.nextInt(200_000)).append(",First").append(r.nextInt(5000)).append(",\"Last, ")
                        .append(r.nextInt(20_000)).append("\",user").append(i).append("@example.com,").append(countries[r.nextInt(countries.length)])
                        .append(',').append(1 + r.nextInt(500)).append(',').append(r.nextInt(100_000)).append(',').append(r.nextInt(50_000))
                        .append('.').append(10 + r.nextInt(90)).append(',').append(r.nextDouble()).append(',').append(r.nextBoolean())
                        .append(',').append(LocalDate.ofEpochDay(18_500 + r.nextInt(1500))).append(',').append(seen)
                        .append(',').append(seen.plusHours(r.nextInt(100))).append("Z,").append(plans[r.nextInt(plans.length)]).append('\n');
                w.append(sb);
            }
        }
    }

    private static long count(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }
}
