package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Who holds a writer lock, stored with the lock so that a second writer can name it: the command (such as
 * {@code tributary sync hubspot}), the process id, the host and when the lock was taken.
 */
public record LockHolder(String command, long pid, String host, Instant since) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    public LockHolder {
        requireNonNull(command, "command is null");
        requireNonNull(host, "host is null");
        requireNonNull(since, "since is null");
    }

    /** This process, running {@code command}, from now. */
    public static LockHolder thisProcess(String command) {
        return new LockHolder(command, ProcessHandle.current().pid(), hostName(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** A holder known only by what it is, when it recorded nothing (yet). */
    public static LockHolder unknown(String what) {
        return new LockHolder(what, 0, "", Instant.EPOCH);
    }

    /** {@code tributary sync hubspot (PID 4242 on host build-1, since 2026-12-06 04:50:12 UTC)}. */
    public String describe() {
        if (pid <= 0) return command;
        return command + " (PID " + pid + " on host " + host + ", since " + TIME.format(since) + ")";
    }

    /** One line, for lock-info files and rows: {@code pid<TAB>host<TAB>since<TAB>command}. */
    public String encode() {
        return pid + "\t" + host + "\t" + since + "\t" + command.replace('\t', ' ').replace('\n', ' ');
    }

    /** Reads what {@link #encode} wrote; null when the text is not such a line. */
    public static LockHolder decode(String line) {
        if (line == null) return null;
        String[] parts = line.strip().split("\t", 4);
        if (parts.length != 4) return null;
        try {
            return new LockHolder(parts[3], Long.parseLong(parts[0]), parts[1], Instant.parse(parts[2]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown" : env;
        }
    }
}
