package dev.tributary.cli;

import static dev.tributary.cli.Polling.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.testkit.TestDatabases;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code tributary serve} processes (real JVMs) on one PostgreSQL metadata store, syncing into PostgreSQL. One of
 * them runs with its clock 90 s fast and starts first, so it fires the schedules at first. A login on one is good on
 * another; runs triggered on one execute anywhere; the worker running a sync is killed with SIGKILL mid-run and the
 * run resumes on another from its last commit; then the worker firing the schedules is killed too. The last worker
 * finishes every sync: the tables end with every row once (append mode: a replayed batch would show as a duplicate, a
 * lost one as a gap) and no run starts twice; a 1-minute cron keeps firing, each minute exactly once, never early.
 */
class WorkersTest {
    private static final int CONNECTIONS = 3;
    private static final int FILES = 4;
    private static final int ROWS_PER_FILE = 50_000;
    private static final String TOKEN = "workers-test-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Process> workers = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private String url;
    private String meta;
    private String prefix;

    @AfterEach
    void stop() throws Exception {
        for (Process p : workers.values()) p.destroyForcibly();
        // what each worker warned about, for a failure's diagnosis
        for (String w : workers.keySet()) {
            List<String> warnings = read(w).lines().filter(l -> l.contains("WARNING") || l.contains("SEVERE")).toList();
            System.out.println("== " + w + ": " + warnings.size() + " warnings (last 15)");
            warnings.subList(Math.max(0, warnings.size() - 15), warnings.size()).forEach(System.out::println);
        }
        for (Process p : workers.values()) p.waitFor(30, TimeUnit.SECONDS);
        if (url != null) {
            TestDatabases.dropPostgresSchema(url, meta);
            for (int c = 1; c <= CONNECTIONS; c++) TestDatabases.dropPostgresSchema(url, prefix + "events_" + c);
            TestDatabases.dropPostgresSchema(url, prefix + "beat");
            TestDatabases.dropPostgresSchema(url, prefix + "tributary");
        }
    }

    @Test
    void threeWorkersShareRunsSurviveAKilledWorkerAndAKilledLeader() throws Exception {
        writeProject();

        // w3 first, with a clock 90 s fast: it takes the leader lease; w1 and w2 join
        start("w3", "--clock-offset", "90s");
        awaitOutput("w3", "Tributary is serving");
        start("w1");
        start("w2");
        for (String w : List.of("w1", "w2", "w3")) ports.put(w, port(w));
        assertThat(read("w3")).contains("Worker w3 on the shared metadata store").contains("fires the schedules");

        // a login on w1 is good on w2
        String cookie = login(ports.get("w1"));
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get("w2") + "/runs"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"logout-form\"");

        // three syncs triggered on w1; each executes on whichever worker claims it
        List<Long> loads = new ArrayList<>();
        for (int c = 1; c <= CONNECTIONS; c++) loads.add(trigger(ports.get("w1"), "load_" + c));
        long victimRun = loads.get(0);
        waitFor(Duration.ofSeconds(120), "run " + victimRun + " to commit some rows", () -> committed(prefix + "events_1.events") > 0);
        String victim = workerRunning(victimRun);
        long before = committed(prefix + "events_1.events");
        assertThat(before).as("killed mid-run").isLessThan((long) FILES * ROWS_PER_FILE);
        workers.get(victim).destroyForcibly(); // SIGKILL
        assertThat(workers.get(victim).waitFor(30, TimeUnit.SECONDS)).isTrue();
        Map<String, Long> deadAt = new LinkedHashMap<>(Map.of(victim, System.nanoTime()));
        ports.remove(victim);

        // then the worker firing the schedules (once the lease is a live worker's): the last one does everything
        String[] leader = new String[1];
        waitFor(Duration.ofSeconds(30), "a live worker to hold the leader lease", () -> ports.containsKey(leader[0] = leader()));
        OffsetDateTime killedAt = dbNow();
        workers.get(leader[0]).destroyForcibly();
        assertThat(workers.get(leader[0]).waitFor(30, TimeUnit.SECONDS)).isTrue();
        deadAt.put(leader[0], System.nanoTime());
        ports.remove(leader[0]);
        int port = ports.values().iterator().next();

        waitFor(Duration.ofMinutes(3), "the three syncs to succeed", () -> loads.stream().allMatch(r -> "succeeded".equals(run(port, r).path("status").asText())));
        for (int c = 1; c <= CONNECTIONS; c++) {
            String table = prefix + "events_" + c + ".events";
            assertThat(number("select count(*) from " + table)).as(table).isEqualTo((long) FILES * ROWS_PER_FILE);
            assertThat(number("select count(distinct id) from " + table)).as(table).isEqualTo((long) FILES * ROWS_PER_FILE);
        }
        String victimLog = logText(port, victimRun);
        assertThat(victimLog).contains("worker " + victim).contains("stopped heartbeating").contains("resumed on worker");
        for (long r : loads) {
            long starts = workers.keySet().stream().mapToLong(w -> count(read(w), "run " + r + " started on worker")).sum();
            assertThat(starts).as("run %d started once", r).isEqualTo(1);
        }
        assertThat(number("select count(*) from " + meta + ".runs where pipeline like 'load_%'")).as("no run queued twice").isEqualTo(CONNECTIONS);
        Map<Long, String> connectionOf = new LinkedHashMap<>();
        for (int c = 1; c <= CONNECTIONS; c++) connectionOf.put(loads.get(c - 1), "events_" + c);
        assertNoTwoExecutionsOfARunAtOnce(connectionOf, deadAt, java.util.Set.of());

        // the last worker fires the minutes after the leader died
        waitFor(Duration.ofSeconds(100), "a tick fired after the leader died", () -> number("select count(*) from " + meta
                + ".runs where pipeline = 'tick' and due_at > '" + killedAt + "' and status = 'SUCCEEDED'") > 0);
        assertThat(number("select count(*) from (select due_at from " + meta + ".runs where pipeline = 'tick' group by due_at having count(*) > 1) d"))
                .as("each minute fired once").isZero();
        assertThat(number("select count(*) from " + meta + ".runs where pipeline = 'tick' and started_at < due_at - interval '1 second'"))
                .as("no minute fired early (w3's clock is 90 s fast)").isZero();
        long minutes = number("select (extract(epoch from max(due_at) - min(due_at)) / 60)::bigint + 1 from " + meta + ".runs where pipeline = 'tick'");
        assertThat(number("select count(*) from " + meta + ".runs where pipeline = 'tick'")).as("no minute missed").isEqualTo(minutes);
    }

    /** Three connections of FILES x ROWS_PER_FILE rows into PostgreSQL (append mode), a pipeline each, and a 1-minute tick. */
    private void writeProject() throws Exception {
        url = TestDatabases.postgresUrl();
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        meta = "workers_meta_" + id;
        prefix = "workers_" + id + "_";
        StringBuilder connections = new StringBuilder();
        StringBuilder pipelines = new StringBuilder();
        for (int c = 1; c <= CONNECTIONS; c++) {
            ExampleFixtures.writeNumberedJsonl(dir.resolve("c" + c), FILES, ROWS_PER_FILE);
            connections.append("""
                      events_%1$d:
                        type: files
                        config:
                          batch_size: 1000
                          streams:
                            - {name: events, path: "c%1$d/data/*.jsonl", format: jsonl}
                        streams:
                          events: {write_mode: append}
                    """.formatted(c));
            pipelines.append("""
                      load_%1$d:
                        retries: {max: 0}
                        steps:
                          - sync: [events_%1$d]
                    """.formatted(c));
        }
        Files.createDirectories(dir.resolve("beat"));
        Files.writeString(dir.resolve("beat/beat.jsonl"), "{\"id\":1}\n");
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: postgres, url: "%s", schema_prefix: %s}
                server:
                  metadata: {url: "%s", schema: %s}
                settings:
                  checkpoint_every_records: 1000
                connections:
                  beat:
                    type: files
                    config:
                      streams:
                        - {name: beat, path: "beat/*.jsonl", format: jsonl}
                %spipelines:
                  tick:
                    schedule: "* * * * *"
                    retries: {max: 0}
                    steps:
                      - sync: [beat]
                %s""".formatted(url, prefix, url, meta, connections, pipelines));
        // each step execution's span and each commit, on the machine's monotonic clock (the scheduler's and engine's debug lines)
        Files.writeString(dir.resolve("logging.properties"), """
                handlers = java.util.logging.ConsoleHandler
                .level = INFO
                java.util.logging.ConsoleHandler.level = FINE
                dev.tributary.scheduler.Scheduler.level = FINE
                dev.tributary.engine.StreamSync.level = FINE
                """);
    }

    /**
     * SIGTERM: a worker claims nothing more and lets its run finish (still heartbeating), so the run ends where it ran;
     * with a short drain timeout the run is cancelled at its next commit and handed back, and another worker finishes
     * it. SIGSTOP past the worker timeout: another worker resumes the run; on SIGCONT the frozen one commits nothing
     * more. No two executions of a run overlap (a frozen one's span excepted, which commits nothing after the other's
     * began), and every table ends with every row once.
     */
    @Test
    void sigtermDrainsOrHandsBackAndAWorkerThawedAfterATakeOverCommitsNothing() throws Exception {
        writeProject();
        start("w1", "--drain-timeout", "120s");
        ports.put("w1", port("w1"));
        long drained = trigger(ports.get("w1"), "load_1");
        waitFor(Duration.ofSeconds(120), "run " + drained + " to commit some rows", () -> committed(prefix + "events_1.events") > 0);
        assertThat(committed(prefix + "events_1.events")).as("still running at SIGTERM").isLessThan((long) FILES * ROWS_PER_FILE);
        workers.get("w1").destroy(); // SIGTERM
        // other workers join while w1 drains: the run is not handed to them
        start("w2", "--drain-timeout", "1s");
        start("w3", "--drain-timeout", "1s");
        ports.put("w2", port("w2"));
        ports.put("w3", port("w3"));
        assertThat(workers.get("w1").waitFor(150, TimeUnit.SECONDS)).as("w1 exits once its run finished").isTrue();
        ports.remove("w1");
        assertThat(read("w1")).contains("run " + drained + " succeeded");
        assertThat(number("select claims from " + meta + ".runs where id = " + drained)).as("run %d ran on w1 alone", drained).isEqualTo(1);
        assertThat(number("select count(*) from " + meta + ".runs where id = " + drained + " and status = 'SUCCEEDED'")).isEqualTo(1);

        // a drain timeout shorter than the run: cancelled at its next commit, handed back, finished by another worker
        long handed = trigger(ports.get("w2"), "load_2");
        waitFor(Duration.ofSeconds(120), "run " + handed + " to commit some rows", () -> committed(prefix + "events_2.events") > 0);
        String stopped = workerRunning(handed);
        workers.get(stopped).destroy(); // SIGTERM
        assertThat(workers.get(stopped).waitFor(60, TimeUnit.SECONDS)).as(stopped + " exits after handing its run back").isTrue();
        ports.remove(stopped);
        int port = ports.values().iterator().next();
        waitFor(Duration.ofMinutes(2), "run " + handed + " to succeed", () -> "succeeded".equals(run(port, handed).path("status").asText()));
        assertThat(logText(port, handed)).contains("worker " + stopped + " stopped; the run goes back to the queue").contains("resumed on worker");

        // SIGSTOP past the worker timeout: the run resumes elsewhere; thawed, the frozen worker commits nothing more
        start("w4", "--drain-timeout", "1s");
        ports.put("w4", port("w4"));
        long frozenRun = trigger(ports.get("w4"), "load_3");
        waitFor(Duration.ofSeconds(120), "run " + frozenRun + " to commit some rows", () -> committed(prefix + "events_3.events") > 0);
        String frozen = workerRunning(frozenRun);
        signal(frozen, "STOP");
        int other = ports.entrySet().stream().filter(e -> !e.getKey().equals(frozen)).findFirst().orElseThrow().getValue();
        waitFor(Duration.ofSeconds(60), "run " + frozenRun + " to resume on another worker", () -> logText(other, frozenRun).contains("resumed on worker"));
        signal(frozen, "CONT");
        waitFor(Duration.ofMinutes(2), "run " + frozenRun + " to succeed", () -> "succeeded".equals(run(other, frozenRun).path("status").asText()));
        for (int c = 1; c <= CONNECTIONS; c++) {
            String table = prefix + "events_" + c + ".events";
            assertThat(number("select count(*) from " + table)).as(table).isEqualTo((long) FILES * ROWS_PER_FILE);
            assertThat(number("select count(distinct id) from " + table)).as(table).isEqualTo((long) FILES * ROWS_PER_FILE);
        }
        // a worker stopped by SIGTERM may not print its last debug lines (java.util.logging closes its handlers at JVM
        // shutdown): its span is not checked, only that it started no commit after the next worker's execution began
        assertNoTwoExecutionsOfARunAtOnce(Map.of(drained, "events_1", handed, "events_2", frozenRun, "events_3"), Map.of(), java.util.Set.of(frozen, stopped));
    }

    private void signal(String worker, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(workers.get(worker).pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }

    private static final Pattern EXECUTION = Pattern.compile("step execution (began|ended): run (\\d+) step (\\S+) attempt (\\d+) on worker (\\S+) \\(monotonic (-?\\d+)\\)");
    private static final Pattern COMMIT = Pattern.compile("committed: connection (\\S+) stream \\S+ \\(monotonic (-?\\d+)\\)");

    /** One step execution, from the worker's debug lines: when it began and ended on the machine's monotonic clock. */
    private record Execution(String worker, long run, String step, long began, long ended) {}

    /**
     * From every worker's output: two executions of one run never overlap (a killed worker's ends when it was killed;
     * a worker in {@code unbounded} was stopped by SIGSTOP, so its span may overlap the next one's, or its end is not
     * known), and a worker never
     * starts a commit of the run's connection (passes the commit gate) after another worker's execution of that run began.
     */
    private void assertNoTwoExecutionsOfARunAtOnce(Map<Long, String> connectionOf, Map<String, Long> deadAt, java.util.Set<String> unbounded) {
        List<Execution> executions = new ArrayList<>();
        Map<String, List<long[]>> commits = new LinkedHashMap<>(); // worker -> (connection index in the list, time)
        List<String> connections = new ArrayList<>(connectionOf.values());
        for (String w : workers.keySet()) {
            String out = read(w);
            Map<String, Long> began = new LinkedHashMap<>();
            Map<String, Long> ended = new LinkedHashMap<>();
            Matcher m = EXECUTION.matcher(out);
            while (m.find()) (m.group(1).equals("began") ? began : ended).put(m.group(2) + "/" + m.group(3) + "/" + m.group(4) + "/" + m.group(5), Long.parseLong(m.group(6)));
            for (Map.Entry<String, Long> e : began.entrySet()) {
                String[] k = e.getKey().split("/");
                long end = ended.getOrDefault(e.getKey(), deadAt.getOrDefault(w, Long.MAX_VALUE));
                executions.add(new Execution(k[3], Long.parseLong(k[0]), k[1], e.getValue(), end));
            }
            Matcher c = COMMIT.matcher(out);
            while (c.find()) {
                if (connections.contains(c.group(1))) commits.computeIfAbsent(w, x -> new ArrayList<>()).add(new long[] {connections.indexOf(c.group(1)), Long.parseLong(c.group(2))});
            }
        }
        for (long run : connectionOf.keySet()) {
            List<Execution> of = executions.stream().filter(e -> e.run() == run).sorted(java.util.Comparator.comparingLong(Execution::began)).toList();
            assertThat(of).as("executions of run %d", run).isNotEmpty();
            int connection = connections.indexOf(connectionOf.get(run));
            for (int i = 0; i < of.size(); i++) {
                for (int j = i + 1; j < of.size(); j++) {
                    Execution first = of.get(i);
                    Execution next = of.get(j);
                    if (first.worker().equals(next.worker())) continue; // one worker's attempts follow one another
                    if (!unbounded.contains(first.worker())) {
                        assertThat(first.ended()).as("run %d: %s's execution ended before %s's began", run, first.worker(), next.worker()).isLessThan(next.began());
                    }
                    long late = commits.getOrDefault(first.worker(), List.of()).stream().filter(x -> x[0] == connection && x[1] > next.began()).count();
                    assertThat(late).as("run %d: commits by %s after %s's execution began", run, first.worker(), next.worker()).isZero();
                }
            }
        }
    }

    private void start(String name, String... extra) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-Djava.util.logging.config.file=" + dir.resolve("logging.properties"), "-cp", System.getProperty("java.class.path"),
                "dev.tributary.cli.Main", "-p", dir.toString(), "serve", "--port", "0", "--worker-id", name, "--heartbeat", "300ms", "--worker-timeout", "3s"));
        command.addAll(List.of(extra));
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().put("TRIBUTARY_API_TOKEN", TOKEN);
        b.environment().put("TRIBUTARY_ADMIN_PASSWORD", TOKEN);
        workers.put(name, b.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start());
    }

    private String login(int port) throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        String loginCookie = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tributary_login=")).findFirst().orElseThrow().split(";")[0];
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([0-9a-f]+)\"").matcher(form.body());
        assertThat(csrf.find()).as(form.body()).isTrue();
        String body = "username=admin&password=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1) + "&next=/";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).header("Cookie", loginCookie)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tributary_session=")).findFirst().orElseThrow().split(";")[0];
    }

    private long trigger(int port, String pipeline) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/pipelines/" + pipeline + "/trigger"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asLong();
    }

    private JsonNode run(int port, long id) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/runs/" + id))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String logText(int port, long id) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/runs/" + id + "/log?limit=1000"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The worker whose output says it started the run. */
    private String workerRunning(long runId) {
        String[] found = new String[1];
        waitFor(Duration.ofSeconds(30), "a worker to say it started run " + runId, () -> {
            for (String w : workers.keySet()) {
                if (read(w).contains("run " + runId + " started on worker " + w)) {
                    found[0] = w;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** The worker id holding an unexpired leader lease, or "" when none does. */
    private String leader() {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select holder from " + meta + ".leases where expires_at > clock_timestamp()")) {
            return rs.next() ? rs.getString(1).substring(0, rs.getString(1).indexOf('/')) : "";
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private OffsetDateTime dbNow() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }

    private long committed(String table) {
        try {
            return number("select count(*) from " + table);
        } catch (IllegalStateException e) {
            return 0; // not created yet
        }
    }

    private long number(String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static long count(String text, String needle) {
        return Pattern.compile(Pattern.quote(needle) + "\\b").matcher(text).results().count();
    }

    private void awaitOutput(String worker, String text) {
        waitFor(Duration.ofSeconds(90), "'" + text + "' in " + worker + "'s output", () -> {
            if (!workers.get(worker).isAlive()) fail(worker + " exited: " + read(worker));
            return read(worker).contains(text);
        });
    }

    private int port(String worker) {
        awaitOutput(worker, "Tributary is serving");
        Matcher m = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)").matcher(read(worker));
        assertThat(m.find()).as(read(worker)).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private String read(String worker) {
        try {
            return Files.readString(dir.resolve(worker + ".out"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
