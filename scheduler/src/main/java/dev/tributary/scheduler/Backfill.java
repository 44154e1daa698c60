package dev.tributary.scheduler;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs of a pipeline for each of its scheduled (cron) times in a range, queued one at a time: the next starts when the
 * previous ends (a pipeline runs one run at a time, so a backfill never holds more than one run, and a scheduled run
 * due between two backfill runs goes first). Each run gets the var {@value #LOGICAL_DATE}: its scheduled time.
 *
 * @param slots   the scheduled times, oldest first
 * @param started how many of them have been given a run
 * @param runs    the group's runs by status (lower case), for its progress
 */
public record Backfill(long id, String pipeline, Instant from, Instant to, List<Instant> slots, int started, Instant createdAt, String createdBy,
                       Map<String, Integer> runs) {
    /** The var each backfill run gets: its scheduled time, ISO-8601 in UTC (2026-11-01T07:00:00Z). */
    public static final String LOGICAL_DATE = "logical_date";
    /** The most scheduled times one backfill may cover. */
    public static final int MAX_SLOTS = 1000;

    public Backfill {
        slots = List.copyOf(slots);
        runs = Map.copyOf(runs);
    }

    public int total() {
        return slots.size();
    }

    /** Runs that ended (succeeded, failed or cancelled). */
    public int finished() {
        return runs.getOrDefault("succeeded", 0) + runs.getOrDefault("failed", 0) + runs.getOrDefault("cancelled", 0);
    }

    public boolean done() {
        return started >= slots.size() && finished() >= started;
    }
}
