package dev.tributary.cli;

import dev.tributary.project.Project;
import dev.tributary.scheduler.LogLine;
import dev.tributary.scheduler.MetadataStore;
import dev.tributary.scheduler.MetadataStores;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.StepRecord;
import dev.tributary.scheduler.StepStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records a run started from the CLI (sync, build, run, test, checks, seed, snapshot) in the project's run history,
 * the metadata store serve reads, so the web UI and API list it with its output as its log: pipeline {@value #PIPELINE},
 * trigger {@value #TRIGGER}, one step named after the command line. While serve runs, the H2 store is reached through
 * serve (see {@link MetadataStores#openForCommand}). Recording never fails the command: the first problem is reported
 * once as a warning and the command goes on unrecorded.
 */
final class CliRunRecorder {
    static final String PIPELINE = dev.tributary.scheduler.CliRuns.PIPELINE;
    static final String TRIGGER = "cli";
    private static final Map<String, StepKind> KINDS = Map.of("sync", StepKind.SYNC, "build", StepKind.BUILD, "run", StepKind.RUN,
            "test", StepKind.TEST, "checks", StepKind.CHECKS, "seed", StepKind.RUN, "snapshot", StepKind.RUN);
    private static final Pattern RECORDS = Pattern.compile("streams synced, ([\\d,]+) records");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    private final MetadataStore store;
    private final PrintWriter err;
    private final String step;
    private final StepKind kind;
    private final Instant started;
    private RunRecord run;
    private boolean warned;
    private boolean finished;
    private boolean interrupted;

    private CliRunRecorder(MetadataStore store, PrintWriter err, String step, StepKind kind) {
        this.store = store;
        this.err = err;
        this.step = step;
        this.kind = kind;
        this.started = Instant.now();
    }

    static boolean records(String command) {
        return KINDS.containsKey(command);
    }

    /**
     * Starts recording {@code commandLine} (e.g. "sync crm --full-refresh") for the project in root's folder; empty
     * when there is nothing to record into (no tributary.yml, or one the command itself will reject) or the store
     * cannot be opened (then a warning says so).
     */
    static Optional<CliRunRecorder> start(TributaryCommand root, String command, String commandLine, PrintWriter err) {
        if (!Files.isRegularFile(root.projectDir.resolve(Project.FILE_NAME))) return Optional.empty();
        Project project;
        try {
            project = Project.loadWithoutConnectorValidation(root.projectDir, root.environment, root.connectors);
        } catch (RuntimeException e) {
            return Optional.empty(); // the command reports the configuration error itself
        }
        MetadataStore store;
        try {
            store = MetadataStores.openForCommand(project.section("server"), project.dir());
        } catch (RuntimeException e) {
            warn(err, e);
            return Optional.empty();
        }
        CliRunRecorder recorder = new CliRunRecorder(store, err, commandLine.length() > 200 ? commandLine.substring(0, 200) : commandLine, KINDS.get(command));
        recorder.begin();
        return Optional.of(recorder);
    }

    private void begin() {
        attempt(() -> {
            RunRecord queued = store.createRun(PIPELINE, TRIGGER, started, Optional.empty());
            run = new RunRecord(queued.id(), PIPELINE, RunStatus.RUNNING, TRIGGER, queued.dueAt(), Optional.of(started), Optional.empty(),
                    Optional.empty(), Optional.empty(), 0);
            store.updateRun(run);
            store.saveStep(new StepRecord(run.id(), step, kind, StepStatus.RUNNING, 1, Optional.of(started), Optional.empty(), 0,
                    dev.tributary.scheduler.CliRuns.runningSummary(), Optional.empty()));
        });
    }

    /** The JVM is stopping (Ctrl-C or kill): whatever the command returns, the run is recorded as cancelled, exit 130. */
    synchronized void interrupted() {
        interrupted = true;
    }

    /** Whether {@link #finish} has run. */
    synchronized boolean finished() {
        return finished;
    }

    /** Records the outcome and the command's output as the run's log, then closes the store; only the first call counts. */
    synchronized void finish(int commandExitCode, String output, String errors) {
        if (finished) return;
        finished = true;
        int exitCode = interrupted ? ExitCode.INTERRUPTED : commandExitCode;
        try {
            if (run == null) return;
            attempt(() -> {
                Instant ended = Instant.now();
                long seq = 0;
                for (String line : lines(output)) store.appendLog(new LogLine(run.id(), ++seq, ended, "INFO", PIPELINE, step, line));
                for (String line : lines(errors)) store.appendLog(new LogLine(run.id(), ++seq, ended, "ERROR", PIPELINE, step, line));
                long records = 0;
                Matcher m = RECORDS.matcher(output);
                while (m.find()) records += Long.parseLong(m.group(1).replace(",", ""));
                boolean ok = exitCode == ExitCode.OK;
                List<String> outLines = lines(output);
                String summary = outLines.isEmpty() ? "exit code " + exitCode : outLines.get(outLines.size() - 1);
                List<String> errLines = lines(errors);
                Optional<String> error = ok ? Optional.empty()
                        : Optional.of((interrupted ? "interrupted (Ctrl-C or kill)" : errLines.isEmpty() ? summary : errLines.get(0)) + " (exit code " + exitCode + ")");
                store.saveStep(new StepRecord(run.id(), step, kind, ok ? StepStatus.SUCCEEDED : interrupted ? StepStatus.CANCELLED : StepStatus.FAILED, 1,
                        Optional.of(started), Optional.of(ended), records, summary, error));
                store.updateRun(new RunRecord(run.id(), PIPELINE, ok ? RunStatus.SUCCEEDED : interrupted ? RunStatus.CANCELLED : RunStatus.FAILED, TRIGGER, run.dueAt(),
                        Optional.of(started), Optional.of(ended), error, Optional.empty(), records));
            });
        } finally {
            try {
                store.close();
            } catch (RuntimeException ignored) {
                // closing a store we could not write to changes nothing for the user
            }
        }
    }

    private static List<String> lines(String text) {
        return text.lines().map(l -> ANSI.matcher(l).replaceAll("")).map(l -> l.substring(l.lastIndexOf('\r') + 1).stripTrailing())
                .filter(l -> !l.isBlank()).toList();
    }

    private void attempt(Runnable write) {
        if (warned) return;
        try {
            write.run();
        } catch (RuntimeException e) {
            warned = true;
            warn(err, e);
        }
    }

    private static void warn(PrintWriter err, RuntimeException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        err.println("tributary: warning: this run is not recorded in the project's run history (" + why + "); the command goes on");
        err.flush();
    }
}
