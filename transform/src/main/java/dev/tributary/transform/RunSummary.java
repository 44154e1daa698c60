package dev.tributary.transform;

import java.util.List;
import java.util.Optional;

/**
 * The results of one command. {@link #exitCode()} follows dbt (0 ok, warnings allowed; 1 errors or failures);
 * {@link #checkExitCode()} tells the checks' outcome apart more finely (0 all pass, 1 warnings, 2 failures, 3 errors);
 * the CLI's {@code checks} exits like {@code build}, by {@link #exitCode()}.
 * Project and config errors never get here: {@link TransformProject#load} throws, and the CLI exits with 2.
 */
public record RunSummary(String command, List<NodeResult> results, double elapsedSeconds) {
    public RunSummary {
        results = List.copyOf(results);
    }

    public long count(NodeStatus... statuses) {
        return results.stream().filter(r -> List.of(statuses).contains(r.status())).count();
    }

    public int exitCode() {
        return count(NodeStatus.ERROR, NodeStatus.FAIL) > 0 ? 1 : 0;
    }

    public int checkExitCode() {
        if (count(NodeStatus.ERROR) > 0) return 3;
        if (count(NodeStatus.FAIL) > 0) return 2;
        if (count(NodeStatus.WARN) > 0) return 1;
        return 0;
    }

    /** {@code Done. PASS=10 WARN=1 ERROR=0 SKIP=0 TOTAL=11}; ERROR counts errors and test failures. */
    public String summaryLine() {
        return "Done. PASS=" + count(NodeStatus.SUCCESS, NodeStatus.PASS) + " WARN=" + count(NodeStatus.WARN) + " ERROR="
                + count(NodeStatus.ERROR, NodeStatus.FAIL) + " SKIP=" + count(NodeStatus.SKIP) + " TOTAL=" + results.size();
    }

    public Optional<NodeResult> result(String nodeName) {
        return results.stream().filter(r -> r.name().equals(nodeName)).findFirst();
    }

    public NodeStatus status(String nodeName) {
        return result(nodeName).map(NodeResult::status).orElseThrow(() -> new IllegalArgumentException("no result for " + nodeName));
    }
}
