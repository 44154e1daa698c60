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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
        // Ctrl-C: before the first connection syncs nothing is written, so the JVM may exit at once; once syncing,
        // stop after the current batch, drop what is staged, and let the command say what was committed.
        // Cancel again until the command finishes: a connection may start between the flag and the first cancel.
        AtomicReference<Workspace> syncing = new AtomicReference<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            interrupted.set(true);
            if (syncing.get() == null) {
                err.println("tributary: interrupted before anything was synced; nothing was written.");
                err.flush();
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            try {
                do syncing.get().cancel(); while (!finished.await(50, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (Workspace workspace = root.openWorkspace()) {
            workspace.useLockPolicy(lockPolicy(err));
            List<String> connections = connection != null ? List.of(connection) : List.copyOf(workspace.project().connections().keySet());
            if (connection == null) {
                // multi-tenant templates have no account of their own: 'tributary serve' syncs each tenant
                List<String> templates = connections.stream().filter(c -> workspace.project().connection(c).multiTenant()).toList();
                if (!templates.isEmpty()) {
                    err.println("tributary: skipping " + String.join(", ", templates) + ": multi_tenant, synced per tenant by 'tributary serve'");
                    connections = connections.stream().filter(c -> !templates.contains(c)).toList();
                }
            }
            if (connections.isEmpty()) {
                err.println("tributary: the project has no connections; add one under 'connections:' in tributary.yml");
                return ExitCode.CONFIG;
            }
            if (!streams.isEmpty() && connections.size() != 1) {
                err.println("tributary: --streams needs a connection name");
                return ExitCode.CONFIG;
            }
            // Plan every connection first: a configuration error anywhere stops the command before anything is written
            // (the destination is opened after, so a bad source setting does not leave a new warehouse file behind).
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
            workspace.destination();
            syncing.set(workspace);
            List<SyncResult> results = new ArrayList<>();
            List<String> notStarted = new ArrayList<>();
            boolean live = !json && ProgressDisplay.isTerminal();
            for (Map.Entry<String, List<ConfiguredStream>> plan : plans.entrySet()) {
                if (interrupted.get()) {
                    notStarted.add(plan.getKey());
                    continue;
                }
                if (!json) out.println("Syncing " + plan.getKey() + " into " + workspace.destination().describe());
                RunListener listener = live ? new ProgressDisplay(out) : RunListener.NONE;
                SyncResult result;
                try {
                    result = workspace.sync(plan.getKey(), plan.getValue(), fullRefresh, listener);
                } catch (WarehouseBusyException busy) {
                    // Another writer holds this connection: report it, keep what the others did, go on with the rest.
                    OperationalFailure held = OperationalFailure.of(busy, "sync").orElseThrow();
                    unreadable.put(plan.getKey(), held.message());
                    err.println("tributary: connection " + plan.getKey() + " not synced: " + held.message());
                    continue;
                }
                results.add(result);
                if (!json) printSummary(out, result, root.commandPrefix() + " rejects");
            }
            // Printed before the hook is released: once it returns, the JVM exits.
            if (json) out.println(toJson(results, unreadable, interrupted.get() ? resumeCommand() : null, notStarted));
            else if (interrupted.get()) printInterrupted(out, results, notStarted, resumeCommand());
            out.flush();
            return unreadable.isEmpty() && results.stream().allMatch(SyncResult::ok) && !interrupted.get() ? ExitCode.OK : ExitCode.FAILED;
        } catch (WarehouseBusyException busy) {
            // Another writer holds the connection or the warehouse: an expected failure, nothing was written.
            OperationalFailure failure = OperationalFailure.of(busy, "sync").orElseThrow();
            // As for every failure before the result: the plain line always, the JSON too with --json.
            err.println("tributary: " + failure.message());
            if (json) out.println(ErrorHandler.json(failure.kind(), failure.message()));
            return ExitCode.FAILED;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the hook is running
            }
        }
    }

    /** The command that carries on after an interruption: the same sync (a full refresh starts over). */
    private String resumeCommand() {
        return root.commandPrefix() + " sync" + (connection == null ? "" : " " + connection)
                + (streams.isEmpty() ? "" : " --streams " + String.join(",", streams)) + (fullRefresh ? " --full-refresh" : "");
    }

    /** After Ctrl-C: what each stream committed (it stays), what did not start, and how to go on. */
    private static void printInterrupted(PrintWriter out, List<SyncResult> results, List<String> notStarted, String resume) {
        out.println();
        out.println("Interrupted: stopped at the last commit; what was staged since is dropped. Committed by this run:");
        Table t = new Table(List.of("connection", "stream", "committed", "status"), false, false, true, false);
        for (SyncResult r : results) {
            for (StreamResult s : r.streams()) {
                boolean overwrite = s.stream().writeMode() == dev.tributary.spi.WriteMode.OVERWRITE;
                String status = s.ok() ? "done" : overwrite && !s.ok() ? "not replaced: an overwrite commits only at its end and starts over"
                        : s.status() == StreamResult.Status.CANCELLED ? "stopped" : "failed";
                t.row(r.connection(), s.stream().id(), Table.count(s.records()) + " records", status);
            }
        }
        if (!t.isEmpty()) t.print(out, "  ");
        if (!notStarted.isEmpty()) out.println("  Not started: " + String.join(", ", notStarted));
        out.println("Run '" + resume + "' to resume from there: committed records are not read again.");
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

    private static void printSummary(PrintWriter out, SyncResult result, String rejectsCommand) {
        Table t = new Table(List.of("stream", "status", "records", "rejected", "time", "records/s", "table"), false, false, true, true, true, true);
        for (StreamResult s : result.streams()) {
            t.row(s.stream().id(), s.statusLabel(), Table.count(s.records()), Table.count(s.rejected()), Table.seconds(s.duration()),
                    Table.count((long) s.recordsPerSecond()), s.table());
        }
        if (!t.isEmpty()) t.print(out, "  ");
        for (StreamResult s : result.streams()) {
            if (s.status() == StreamResult.Status.FAILED) s.error().ifPresent(e -> out.println("  " + s.stream().id() + " failed: " + e));
            s.fallback().ifPresent(f -> out.println("  WARNING " + s.stream().id() + " served from its FALLBACK, not its source: " + f));
        }
        long ok = result.streams().stream().filter(StreamResult::ok).count();
        boolean cancelled = result.streams().stream().anyMatch(s -> s.status() == StreamResult.Status.CANCELLED);
        out.printf("%s: %d of %d streams synced, %s records, %s rejected, in %s (run %s)%n",
                ok == result.streams().size() ? "Done" : cancelled ? "Interrupted" : "FAILED",
                ok, result.streams().size(), Table.count(result.records()), Table.count(result.rejected()), Table.seconds(result.duration()), result.run());
        if (result.rejected() > 0) out.println("  To see the rejected input: " + rejectsCommand + " " + result.connection());
    }

    private static String toJson(List<SyncResult> results, Map<String, String> unreadable, String resume, List<String> notStarted) {
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
                s.fallback().ifPresent(f -> o.put("fallback", f));
            }
        }
        unreadable.forEach((connection, error) -> runs.addObject().put("connection", connection).put("ok", false).put("error", error));
        ObjectNode doc = mapper.createObjectNode();
        doc.put("ok", unreadable.isEmpty() && results.stream().allMatch(SyncResult::ok) && resume == null);
        if (resume != null) {
            doc.put("interrupted", true);
            doc.put("resume_command", resume);
            notStarted.forEach(doc.putArray("not_started")::add);
        }
        doc.set("runs", runs);
        try {
            return mapper.writeValueAsString(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
