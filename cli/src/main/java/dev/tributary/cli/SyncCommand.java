package dev.tributary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.engine.RunListener;
import dev.tributary.engine.StreamResult;
import dev.tributary.engine.SyncResult;
import dev.tributary.engine.WriterLockPolicy;
import dev.tributary.project.Workspace;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.WarehouseBusyException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary sync [connection] [--streams a,b] [--full-refresh] [--json] [--wait]}: syncs one connection, or
 * all in the order written. Exit code 0 when every stream synced, 1 when any failed or another writer holds the
 * connection (without --wait), 2 on a configuration error.
 */
@Command(name = "sync", description = "Sync one connection (or all) into the destination, resuming from the last commit.")
final class SyncCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "Connection to sync (default: all, in the order written).")
    String connection;

    @Option(names = "--streams", split = ",", description = "Only these streams (comma-separated).")
    List<String> streams = new ArrayList<>();

    @Option(names = "--full-refresh", description = "Ignore saved state: read everything again and replace the tables atomically.")
    boolean fullRefresh;

    @Option(names = "--json", description = "Print the result as JSON (for scripts) instead of a table.")
    boolean json;

    @Option(names = "--wait", description = "When another sync is writing the same connection (or holds the warehouse), wait for it instead of stopping.")
    boolean waitForLock;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Workspace workspace = root.openWorkspace()) {
            workspace.useLockPolicy(lockPolicy(err));
            List<String> connections = connection != null ? List.of(connection) : List.copyOf(workspace.project().connections().keySet());
            if (connections.isEmpty()) {
                err.println("tributary: the project has no connections; add one under 'connections:' in tributary.yml");
                return ExitCode.CONFIG;
            }
            if (!streams.isEmpty() && connections.size() != 1) {
                err.println("tributary: --streams needs a connection name");
                return ExitCode.CONFIG;
            }
            // Plan every connection first: a configuration error anywhere stops the command before anything is written.
            workspace.destination();
            Map<String, List<ConfiguredStream>> plans = new LinkedHashMap<>();
            Map<String, String> unreadable = new LinkedHashMap<>();
            for (String c : connections) {
                try {
                    plans.put(c, workspace.plan(c, new LinkedHashSet<>(streams)));
                } catch (DataException e) {
                    // The source cannot be read at all (a missing file, say): report it and go on with the others.
                    unreadable.put(c, e.getMessage());
                    err.println("tributary: connection " + c + " failed: " + e.getMessage());
                }
            }
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = Thread.ofPlatform().unstarted(() -> {
                // Ctrl-C: stop after the current batch, drop what is staged, and let the summary print.
                workspace.cancel();
                try {
                    finished.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            List<SyncResult> results = new ArrayList<>();
            try {
                boolean live = !json && ProgressDisplay.isTerminal();
                for (Map.Entry<String, List<ConfiguredStream>> plan : plans.entrySet()) {
                    if (!json) out.println("Syncing " + plan.getKey() + " into " + workspace.destination().describe());
                    RunListener listener = live ? new ProgressDisplay(out) : RunListener.NONE;
                    SyncResult result = workspace.sync(plan.getKey(), plan.getValue(), fullRefresh, listener);
                    results.add(result);
                    if (!json) printSummary(out, result);
                }
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting; the hook is running
                }
            }
            if (json) out.println(toJson(results, unreadable));
            return unreadable.isEmpty() && results.stream().allMatch(SyncResult::ok) ? ExitCode.OK : ExitCode.FAILED;
        } catch (WarehouseBusyException busy) {
            // Another writer holds the connection or the warehouse: an expected failure, nothing was written.
            String message = busy.getMessage() + (waitForLock ? "" : "; run again with --wait to wait for it");
            if (json) out.println(busyJson(message)); else err.println("tributary: " + message);
            return ExitCode.FAILED;
        }
    }

    /** Stop at once when another writer holds the lock, or with --wait wait for it, saying so now and then. */
    private WriterLockPolicy lockPolicy(PrintWriter err) {
        String command = "tributary sync" + (connection != null ? " " + connection : "");
        if (!waitForLock) return WriterLockPolicy.stopAtOnce(command);
        return WriterLockPolicy.waitFor(command, line -> {
            err.println("tributary: " + line);
            err.flush();
        });
    }

    private static String busyJson(String message) {
        ObjectNode doc = new ObjectMapper().createObjectNode();
        doc.put("ok", false);
        doc.put("error", message);
        doc.putArray("runs");
        return doc.toString();
    }

    private static void printSummary(PrintWriter out, SyncResult result) {
        Table t = new Table(List.of("stream", "status", "records", "rejected", "time", "records/s", "table"), false, false, true, true, true, true);
        for (StreamResult s : result.streams()) {
            t.row(s.stream().id(), s.status().name().toLowerCase(), Table.count(s.records()), Table.count(s.rejected()), Table.seconds(s.duration()),
                    Table.count((long) s.recordsPerSecond()), s.table());
        }
        if (!t.isEmpty()) t.print(out, "  ");
        for (StreamResult s : result.streams()) {
            s.error().ifPresent(e -> out.println("  " + s.stream().id() + " failed: " + e));
        }
        long ok = result.streams().stream().filter(StreamResult::ok).count();
        out.printf("%s: %d of %d streams synced, %s records, %s rejected, in %s (run %s)%n", ok == result.streams().size() ? "Done" : "FAILED",
                ok, result.streams().size(), Table.count(result.records()), Table.count(result.rejected()), Table.seconds(result.duration()), result.run());
        if (result.rejected() > 0) out.println("  Rejected input is in the _tributary_rejects table of the connection's schema.");
    }

    private static String toJson(List<SyncResult> results, Map<String, String> unreadable) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode runs = mapper.createArrayNode();
        for (SyncResult r : results) {
            ObjectNode run = runs.addObject();
            run.put("connection", r.connection());
            run.put("run_id", r.run().value());
            run.put("ok", r.ok());
            run.put("records", r.records());
            run.put("rejected", r.rejected());
            run.put("duration_ms", r.duration().toMillis());
            ArrayNode streams = run.putArray("streams");
            for (StreamResult s : r.streams()) {
                ObjectNode o = streams.addObject();
                o.put("stream", s.stream().id().toString());
                o.put("status", s.status().name().toLowerCase());
                o.put("records", s.records());
                o.put("rejected", s.rejected());
                o.put("commits", s.commits());
                o.put("duration_ms", s.duration().toMillis());
                o.put("table", s.table());
                o.put("write_mode", s.stream().writeMode().name().toLowerCase());
                s.error().ifPresent(e -> o.put("error", e));
            }
        }
        unreadable.forEach((connection, error) -> runs.addObject().put("connection", connection).put("ok", false).put("error", error));
        ObjectNode doc = mapper.createObjectNode();
        doc.put("ok", unreadable.isEmpty() && results.stream().allMatch(SyncResult::ok));
        doc.set("runs", runs);
        try {
            return mapper.writeValueAsString(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
