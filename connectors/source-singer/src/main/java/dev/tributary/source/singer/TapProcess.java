package dev.tributary.source.singer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.DataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A running tap: its settings in a private temporary folder (config file mode 0600, removed on close), its stdout
 * read line by line by the caller (so a slow reader slows the tap through the pipe and memory stays bounded), its
 * stderr copied to the log with the connection and tap prefix while the last lines are kept for errors (both with
 * every string value of the tap's settings masked: see {@link SecretRedactor}). A tap that
 * writes nothing for the silence timeout while the reader waits for it is ended.
 */
final class TapProcess implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TapProcess.class.getName());
    private static final int STDERR_LINES_KEPT = 20;
    static final String TEMP_PREFIX = "tributary-singer-";
    private static final java.util.regex.Pattern OURS = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(TEMP_PREFIX) + "(\\d+)-.*");

    private final SingerConfig config;
    private final Path tempDir;
    private final Process process;
    private final BufferedReader stdout;
    private final Thread stderrPump;
    private final Thread watchdog;
    private final Deque<String> lastStderr = new ArrayDeque<>();
    private final String what;
    private final SecretRedactor redactor;
    private volatile long waitingSince; // 0 while the reader is not waiting for the tap
    private volatile boolean silenced;
    private long lineNumber;

    private TapProcess(SingerConfig config, Path tempDir, Process process, String what) {
        this.config = config;
        this.tempDir = tempDir;
        this.process = process;
        this.what = what;
        this.redactor = new SecretRedactor(config.tapConfig());
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
        this.stderrPump = Thread.ofPlatform().daemon().name("singer-stderr-" + config.connection()).start(this::pumpStderr);
        this.watchdog = Thread.ofPlatform().daemon().name("singer-watchdog-" + config.connection()).start(this::watch);
    }

    /**
     * Starts the tap with {@code --config} and the given extra files (each a flag and its JSON, such as
     * {@code --catalog}); {@code what} says what the run is for in messages ("discovery", "stream users").
     */
    static TapProcess start(SingerConfig config, String what, List<String> flags, List<JsonNode> documents) {
        Path dir = null;
        try {
            sweepStale();
            dir = Files.createTempDirectory(TEMP_PREFIX + ProcessHandle.current().pid() + "-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            List<String> cmd = new ArrayList<>(config.requireCommand());
            cmd.add("--config");
            cmd.add(writePrivate(dir.resolve("config.json"), config.tapConfig()).toString());
            for (int i = 0; i < flags.size(); i++) {
                if (documents.get(i) == null) {
                    cmd.add(flags.get(i));
                    continue;
                }
                String file = flags.get(i).replace("--", "") + ".json";
                cmd.add(flags.get(i));
                cmd.add(writePrivate(dir.resolve(file), documents.get(i)).toString());
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(config.basePath().toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IllegalStateException(config.logPrefix() + "cannot start the tap '" + String.join(" ", config.command()) + "' in "
                        + config.basePath() + ": " + e.getMessage() + " (connections." + config.connection() + ".config.command)", e);
            }
            LOG.log(System.Logger.Level.INFO, config.logPrefix() + "started " + what + " (pid " + p.pid() + ")");
            return new TapProcess(config, dir, p, what);
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("cannot write the tap's settings to a temporary folder: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /**
     * Removes the settings folders of runs whose process is gone (killed with SIGKILL, so their close never ran): only
     * folders named by this code ({@code tributary-singer-<pid>-...}) whose PID no longer runs.
     */
    static void sweepStale() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(tmp)) {
            entries.forEach(p -> {
                java.util.regex.Matcher m = OURS.matcher(p.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    return;
                }
                if (pid == self || ProcessHandle.of(pid).isPresent()) return;
                try {
                    if (!Files.getOwner(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) return;
                } catch (IOException e) {
                    return;
                }
                LOG.log(System.Logger.Level.INFO, "removing " + p + ", tap settings left by process " + pid + ", which is gone");
                deleteQuietly(p);
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot look for tap settings left in " + tmp + " by ended runs: " + e.getMessage());
        }
    }

    private static Path writePrivate(Path file, JsonNode json) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** {@code text} with the tap's settings masked, for messages quoting what the tap wrote. */
    String redact(String text) {
        return redactor.redact(text);
    }

    /** Where line {@code n} of the tap's output is, for messages. */
    String origin(long n) {
        return config.system() + " stdout line " + n;
    }

    long lineNumber() {
        return lineNumber;
    }

    /** The next line of the tap's stdout, or null at its end (after which {@link #finish} says how the tap ended). */
    String readLine() {
        waitingSince = System.nanoTime();
        try {
            String line = stdout.readLine();
            if (line != null) lineNumber++;
            return line;
        } catch (IOException e) {
            if (silenced) throw silenceError();
            throw new IllegalStateException(config.logPrefix() + "reading the tap's output failed after line " + lineNumber + ": " + e.getMessage(), e);
        } finally {
            waitingSince = 0;
        }
    }

    /** Whether more output is already waiting in the pipe (so reading on will not block). */
    boolean ready() {
        try {
            return stdout.ready();
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for the tap to exit after its output ended; fails with its exit code and last stderr lines unless it exited 0. */
    void finish() {
        if (silenced) throw silenceError();
        try {
            if (!process.waitFor(config.silenceTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(config.logPrefix() + "the tap closed its output but did not exit within "
                        + config.silenceTimeout().toSeconds() + " s; ended it" + stderrTail());
            }
            stderrPump.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(config.logPrefix() + "interrupted while waiting for the tap to exit");
        }
        if (silenced) throw silenceError();
        int code = process.exitValue();
        if (code != 0) {
            throw new DataException(origin(lineNumber), "the tap (" + what + ") exited with code " + code + " after " + lineNumber
                    + " lines of output" + stderrTail());
        }
    }

    private IllegalStateException silenceError() {
        return new IllegalStateException(config.logPrefix() + "the tap (" + what + ") wrote nothing for " + config.silenceTimeout().toSeconds()
                + " s (silence_timeout_seconds) after line " + lineNumber + "; it was ended" + stderrTail());
    }

    private String stderrTail() {
        synchronized (lastStderr) {
            if (lastStderr.isEmpty()) return " (it wrote nothing to stderr)";
            return "; its last stderr lines:\n  " + String.join("\n  ", lastStderr);
        }
    }

    private void pumpStderr() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String raw = err.readLine(); raw != null; raw = err.readLine()) {
                String line = redactor.redact(raw); // neither the log nor an error message may show the tap's settings
                synchronized (lastStderr) {
                    if (lastStderr.size() == STDERR_LINES_KEPT) lastStderr.removeFirst();
                    lastStderr.addLast(line.length() > 2000 ? line.substring(0, 2000) + "..." : line);
                }
                // a tap talking on stderr is not hung
                if (waitingSince != 0) waitingSince = System.nanoTime();
                LOG.log(System.Logger.Level.INFO, config.logPrefix() + line);
            }
        } catch (IOException e) {
            // the process is gone; its exit code tells the rest
        }
    }

    private void watch() {
        long limit = config.silenceTimeout().toNanos();
        while (process.isAlive()) {
            long since = waitingSince;
            if (since != 0 && System.nanoTime() - since > limit) {
                silenced = true;
                LOG.log(System.Logger.Level.WARNING, config.logPrefix() + "no output for " + config.silenceTimeout().toSeconds() + " s; ending the tap");
                kill();
                return;
            }
            try {
                process.waitFor(Math.min(1_000, Math.max(10, limit / 4_000_000)), TimeUnit.MILLISECONDS); // wakes at exit too
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Ends the tap if it still runs (a stream closed early or failed) and removes its settings files. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        } finally {
            watchdog.interrupt();
            try {
                stdout.close();
            } catch (IOException ignored) {
                // closing a pipe of a dead process
            }
            deleteQuietly(tempDir);
        }
    }

    /** Whether the temporary settings folder still exists (tests check it is gone). */
    Path tempDir() {
        return tempDir;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot remove the tap's temporary file " + p + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove the tap's temporary folder " + dir + ": " + e.getMessage());
        }
    }
}
