package dev.tributary.transform;

import java.util.Locale;

/** The kinds of node in a transform project, named as dbt names them in manifest.json. */
public enum ResourceType {
    MODEL, SEED, SNAPSHOT, TEST, CHECK, SOURCE, OPERATION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ResourceType parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
