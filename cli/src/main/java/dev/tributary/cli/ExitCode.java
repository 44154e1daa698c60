package dev.tributary.cli;

/** The exit codes of every command, documented in the README. */
public final class ExitCode {
    /** Everything asked for succeeded. */
    public static final int OK = 0;
    /** The work failed: a stream did not sync, a check did not pass. What was committed before stays. */
    public static final int FAILED = 1;
    /** The command line or the project's configuration is wrong; nothing was done. */
    public static final int CONFIG = 2;
    /** An unexpected internal error; the message and a stack trace (with --verbose) say more. */
    public static final int INTERNAL = 3;
    /** Stopped by Ctrl-C (SIGINT) or kill (SIGTERM); what the JVM exits with then (128 + SIGINT). */
    public static final int INTERRUPTED = 130;

    private ExitCode() {}
}
