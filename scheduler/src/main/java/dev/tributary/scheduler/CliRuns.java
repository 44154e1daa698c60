package dev.tributary.scheduler;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs started from the CLI (pipeline {@value #PIPELINE}): while one runs, its step's summary names the process and
 * host running it, so serve starting meanwhile can tell a live CLI run from one whose process is gone.
 */
public final class CliRuns {
    /** The pipeline (and trigger) name of runs started from the CLI; no pipeline of tributary.yml may use it. */
    public static final String PIPELINE = "cli";
    private static final Pattern RUNNING = Pattern.compile("running in process (\\d+) on (.+)");

    private CliRuns() {}

    /** The summary of a CLI run's step while this process runs it. */
    public static String runningSummary() {
        return "running in process " + ProcessHandle.current().pid() + " on " + hostName();
    }

    /** Whether the process named by a step of the run is still alive on this host (unknown hosts count as alive). */
    static boolean processAlive(List<StepRecord> steps) {
        for (StepRecord s : steps) {
            Matcher m = RUNNING.matcher(s.summary());
            if (!m.matches()) continue;
            if (!m.group(2).equals(hostName())) return true; // another machine's process: not ours to judge
            return ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false);
        }
        return false;
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }
}
