package dev.tributary.transform;

import java.util.Locale;

/** A node's outcome, as run_results.json spells it. */
public enum NodeStatus {
    SUCCESS, PASS, WARN, ERROR, FAIL, SKIP;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether nodes downstream must be skipped. */
    public boolean blocksChildren() {
        return this == ERROR || this == FAIL || this == SKIP;
    }
}
