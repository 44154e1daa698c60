package dev.tributary.scheduler;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A five-field cron expression read in a time zone's wall clock. Daylight saving time:
 * <ul>
 *   <li>spring forward: a time that does not exist that day runs once, at the first instant after the gap;</li>
 *   <li>fall back: a time that happens twice runs once, at its first occurrence, unless the hour field is a
 *       wildcard ({@code *}, {@code *}{@code /2}): such frequent jobs follow the clock through both passes, so
 *       {@code *}{@code /5 * * * *} keeps running every five minutes.</li>
 * </ul>
 */
public final class CronSchedule {
    private static final CronDefinition UNIX = CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);
    private static final String[] FIELD_NAMES = {"minute", "hour", "day of month", "month", "day of week"};
    // Wider than any daylight saving shift, so scanning this far around a time finds every candidate.
    private static final Duration SHIFT_MARGIN = Duration.ofHours(3);
    private static final int MAX_CANDIDATES = 10_000;

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime wallClock;
    private final boolean hourIsWildcard;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime wallClock, boolean hourIsWildcard) {
        this.expression = expression;
        this.zone = zone;
        this.wallClock = wallClock;
        this.hourIsWildcard = hourIsWildcard;
    }

    /**
     * Parses {@code expression} (minute hour day-of-month month day-of-week).
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        Objects.requireNonNull(expression, "expression is null");
        Objects.requireNonNull(zone, "zone is null");
        String[] fields = expression.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("cron '" + expression + "' has " + fields.length
                    + " fields; expected 5: minute hour day-of-month month day-of-week (e.g. \"0 7 * * *\")");
        }
        CronParser parser = new CronParser(UNIX);
        for (int i = 0; i < fields.length; i++) {
            String[] probe = {"*", "*", "*", "*", "*"};
            probe[i] = fields[i];
            try {
                parser.parse(String.join(" ", probe)).validate();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cron '" + expression + "': bad " + FIELD_NAMES[i] + " field '" + fields[i]
                        + "': " + e.getMessage());
            }
        }
        Cron cron;
        try {
            cron = parser.parse(String.join(" ", fields)).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron '" + expression + "': " + e.getMessage());
        }
        CronSchedule schedule = new CronSchedule(String.join(" ", fields), zone, ExecutionTime.forCron(cron), fields[1].startsWith("*"));
        if (schedule.nextWallTime(LocalDateTime.of(2000, 1, 1, 0, 0)).isEmpty()) {
            throw new IllegalArgumentException("cron '" + expression + "' never matches a date");
        }
        return schedule;
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The last answer of {@link #nextAfter}: the same for any time from its question up to (not including) its answer. */
    private record Known(Instant asked, Instant next) {}

    private volatile Known known;

    /** The first due instant strictly after {@code after}. */
    public Optional<Instant> nextAfter(Instant after) {
        Known k = known;
        // cron-utils scans minute by minute around DST margins (milliseconds a call): pages and the timer ask often
        if (k != null && !after.isBefore(k.asked()) && after.isBefore(k.next())) return Optional.of(k.next());
        Optional<Instant> next = computeNextAfter(after);
        next.ifPresent(n -> known = new Known(after, n));
        return next;
    }

    private Optional<Instant> computeNextAfter(Instant after) {
        LocalDateTime cursor = LocalDateTime.ofInstant(after, zone).minus(SHIFT_MARGIN);
        Instant best = null;
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            Optional<LocalDateTime> next = nextWallTime(cursor);
            if (next.isEmpty()) break;
            LocalDateTime local = next.get();
            if (best != null && local.isAfter(LocalDateTime.ofInstant(best, zone).plus(SHIFT_MARGIN))) break;
            for (Instant candidate : instantsOf(local)) {
                if (candidate.isAfter(after) && (best == null || candidate.isBefore(best))) best = candidate;
            }
            cursor = local;
        }
        return Optional.ofNullable(best);
    }

    /** The last due instant at or before {@code atOrBefore}. */
    public Optional<Instant> latestAtOrBefore(Instant atOrBefore) {
        LocalDateTime cursor = LocalDateTime.ofInstant(atOrBefore, zone).plus(SHIFT_MARGIN).plusMinutes(1);
        Instant best = null;
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            Optional<LocalDateTime> previous = previousWallTime(cursor);
            if (previous.isEmpty()) break;
            LocalDateTime local = previous.get();
            if (best != null && local.isBefore(LocalDateTime.ofInstant(best, zone).minus(SHIFT_MARGIN))) break;
            for (Instant candidate : instantsOf(local)) {
                if (!candidate.isAfter(atOrBefore) && (best == null || candidate.isAfter(best))) best = candidate;
            }
            cursor = local;
        }
        return Optional.ofNullable(best);
    }

    /** The instants a wall-clock time stands for in the zone, by the rules in the class comment. */
    private List<Instant> instantsOf(LocalDateTime local) {
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = rules.getTransition(local);
            return List.of(gap.getInstant());
        }
        List<Instant> out = new ArrayList<>();
        out.add(ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant());
        if (offsets.size() == 2 && hourIsWildcard) {
            out.add(ZonedDateTime.ofLocal(local, zone, null).withLaterOffsetAtOverlap().toInstant());
        }
        return out;
    }

    // cron-utils evaluated in UTC has no gaps or overlaps: it answers in pure wall-clock time.
    private Optional<LocalDateTime> nextWallTime(LocalDateTime after) {
        return wallClock.nextExecution(after.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }

    private Optional<LocalDateTime> previousWallTime(LocalDateTime before) {
        return wallClock.lastExecution(before.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }

    @Override
    public String toString() {
        return expression + " (" + zone.getId() + ")";
    }
}
