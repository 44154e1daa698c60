package dev.tributary.scheduler;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code pipelines:} section of tributary.yml into {@link PipelineDef}s; see the module README for the shape. */
public final class PipelinesConfig {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final List<String> KIND_KEYS = Arrays.stream(StepKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList();
    private static final List<String> STEP_KEYS = List.of("name", "depends_on", "retries", "parallel", "full_refresh", "vars", "table", "older_than",
            "retain_last", "target");
    /** What a lakehouse step may do, in the order it does them whatever order they are written in. */
    public static final List<String> LAKEHOUSE_ACTIONS = List.of("compact", "expire-snapshots", "remove-orphans");

    private PipelinesConfig() {}

    /**
     * The pipelines in the order written.
     *
     * @param pipelines       the section as {@code project.section("pipelines")} hands it over
     * @param connectionNames the project's connections, which sync steps may name
     * @throws ConfigException naming file, line and key for anything wrong or unknown
     */
    public static Map<String, PipelineDef> parse(Config pipelines, Set<String> connectionNames) {
        Map<String, PipelineDef> out = new LinkedHashMap<>();
        if (!pipelines.isPresent()) return Collections.unmodifiableMap(out);
        for (String name : pipelines.keys()) {
            Config p = pipelines.child(name);
            if (!NAME.matcher(name).matches()) {
                throw p.error("pipeline names are letters, digits, '_', '-' and '.': '" + name + "'");
            }
            if (CliRuns.PIPELINE.equals(name)) {
                throw p.error("the pipeline name '" + name + "' is reserved for runs started from the command line; choose another name");
            }
            out.put(name, pipeline(name, p, connectionNames));
        }
        List<ConfigException> unknown = pipelines.unknownKeys();
        if (!unknown.isEmpty()) throw unknown.get(0);
        return Collections.unmodifiableMap(out);
    }

    private static PipelineDef pipeline(String name, Config p, Set<String> connectionNames) {
        String description = p.string("description", "");
        Trigger trigger = trigger(p);
        boolean catchUp = p.bool("catch_up", true);
        RetrySettings retry = retries(p, RetrySettings.DEFAULT);
        Optional<Duration> freshness = p.optString("freshness").map(v -> duration(p, "freshness", v, false));
        List<StepDef> steps = steps(p, retry, connectionNames);
        return new PipelineDef(name, description, steps, trigger, catchUp, retry, freshness);
    }

    private static Trigger trigger(Config p) {
        Optional<String> schedule = p.optString("schedule");
        Optional<String> every = p.optString("every");
        Optional<String> timezone = p.optString("timezone");
        if (schedule.isPresent() && every.isPresent()) {
            throw p.error("every", "use either schedule (cron) or every (interval), not both");
        }
        if (every.isPresent()) {
            if (timezone.isPresent()) throw p.error("timezone", "timezone applies to a cron schedule, not to every");
            return new Trigger.Interval(duration(p, "every", every.get(), false));
        }
        if (schedule.isPresent()) {
            ZoneId zone = timezone.map(z -> zone(p, z)).orElse(ZoneOffset.UTC);
            try {
                CronSchedule cron = CronSchedule.parse(schedule.get(), zone);
                return new Trigger.Cron(cron.expression(), zone);
            } catch (IllegalArgumentException e) {
                throw p.error("schedule", e.getMessage());
            }
        }
        if (timezone.isPresent()) throw p.error("timezone", "timezone applies to a cron schedule, and there is none");
        return new Trigger.Manual();
    }

    private static ZoneId zone(Config p, String id) {
        if (id.equals("UTC")) return ZoneOffset.UTC;
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw p.error("timezone", "unknown time zone '" + id + "'" + Config.didYouMean(id, List.copyOf(ZoneId.getAvailableZoneIds()))
                    + "; use a name such as Europe/London or America/New_York");
        }
    }

    private static RetrySettings retries(Config owner, RetrySettings defaults) {
        if (!owner.has("retries")) return defaults;
        Config r = owner.child("retries");
        int max = r.intValue("max", defaults.maxRetries());
        if (max < 0) throw r.error("max", "must be 0 or more, got " + max);
        Duration backoff = r.optString("backoff").map(v -> duration(r, "backoff", v, true)).orElse(defaults.initialBackoff());
        Duration maxBackoff = r.optString("max_backoff").map(v -> duration(r, "max_backoff", v, true)).orElse(defaults.maxBackoff());
        if (maxBackoff.compareTo(backoff) < 0) {
            if (r.has("max_backoff")) throw r.error("max_backoff", "is shorter than backoff (" + backoff.toSeconds() + "s)");
            maxBackoff = backoff;
        }
        return new RetrySettings(max, backoff, maxBackoff);
    }

    private static List<StepDef> steps(Config p, RetrySettings pipelineRetry, Set<String> connectionNames) {
        List<Config> written = p.list("steps");
        if (written.isEmpty()) {
            // every key of a pipeline has been asked for by now: a misspelt "steps" is named as such, not as missing
            List<ConfigException> unknown = p.unknownKeys();
            if (!unknown.isEmpty()) throw unknown.get(0);
        }
        if (written.isEmpty()) throw p.error("steps", "a pipeline needs at least one step (sync, build, run, test, checks, export or lakehouse)");
        List<String> names = new ArrayList<>();
        List<StepKind> kinds = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            Config s = written.get(i);
            StepKind kind = kind(s);
            kinds.add(kind);
            String name = s.string("name", kind.name().toLowerCase(Locale.ROOT) + "-" + (i + 1));
            if (!NAME.matcher(name).matches()) throw s.error("name", "step names are letters, digits, '_', '-' and '.': '" + name + "'");
            if (names.contains(name)) {
                throw s.error("name", "duplicate step name '" + name + "' (also step " + (names.indexOf(name) + 1) + "); give one a name of its own");
            }
            names.add(name);
        }
        List<StepDef> steps = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            Config s = written.get(i);
            StepKind kind = kinds.get(i);
            String key = kind.name().toLowerCase(Locale.ROOT);
            List<String> targets = List.of();
            Map<String, String> options = new LinkedHashMap<>();
            switch (kind) {
                case SYNC -> {
                    targets = s.stringList(key);
                    for (String connection : targets) {
                        if (!connectionNames.contains(connection)) {
                            throw s.error(key, "unknown connection '" + connection + "'" + Config.didYouMean(connection, List.copyOf(connectionNames))
                                    + "; connections: " + String.join(", ", connectionNames));
                        }
                    }
                }
                case BUILD, RUN, TEST -> {
                    targets = s.stringList(key).stream().filter(t -> !t.isBlank()).toList();
                    if (s.has("full_refresh")) options.put("full_refresh", Boolean.toString(s.bool("full_refresh", false)));
                    if (s.has("vars")) options.put("vars", s.detached("vars").json().toString());
                }
                case CHECKS -> {
                    targets = s.stringList(key);
                    if (targets.size() == 1 && targets.get(0).equalsIgnoreCase("all")) targets = List.of();
                }
                case EXPORT -> options.putAll(exportOptions(s));
                case LAKEHOUSE -> targets = lakehouseActions(s, options);
            }
            boolean parallel = true;
            if (s.has("parallel")) {
                if (kind != StepKind.SYNC) throw s.error("parallel", "applies to sync steps only");
                parallel = s.bool("parallel", true);
            }
            if (kind != StepKind.BUILD && kind != StepKind.RUN && kind != StepKind.TEST) {
                if (s.has("full_refresh")) throw s.error("full_refresh", "applies to build, run and test steps only");
                if (s.has("vars")) throw s.error("vars", "applies to build, run and test steps only");
            }
            if (s.has("target")) {
                if (kind != StepKind.BUILD && kind != StepKind.RUN && kind != StepKind.TEST && kind != StepKind.CHECKS) {
                    throw s.error("target", "applies to build, run, test and checks steps only");
                }
                options.put("target", target(s));
            }
            if (kind != StepKind.LAKEHOUSE) {
                for (String k : List.of("table", "older_than", "retain_last")) {
                    if (s.has(k)) throw s.error(k, "applies to lakehouse steps only");
                }
            }
            List<String> dependsOn;
            if (s.has("depends_on")) {
                dependsOn = s.stringList("depends_on");
                for (String d : dependsOn) {
                    if (!names.contains(d)) {
                        throw s.error("depends_on", "unknown step '" + d + "'" + Config.didYouMean(d, names) + "; steps: " + String.join(", ", names));
                    }
                }
            } else {
                dependsOn = i == 0 ? List.of() : List.of(names.get(i - 1));
            }
            Optional<RetrySettings> retry = s.has("retries") ? Optional.of(retries(s, pipelineRetry)) : Optional.empty();
            steps.add(new StepDef(names.get(i), kind, targets, parallel, options, dependsOn, retry));
        }
        checkNoCycle(p, written, steps);
        return steps;
    }

    /** As {@code build -t NAME} takes it: a profiles.yml target, or {@code spark} on a lakehouse project. */
    private static String target(Config s) {
        String target = s.string("target").strip();
        if (!NAME.matcher(target).matches()) {
            throw s.error("target", "names a profiles.yml target (or spark, on an iceberg destination), such as target: spark; got '" + target + "'");
        }
        return target;
    }

    private static StepKind kind(Config s) {
        List<String> found = s.keys().stream().filter(KIND_KEYS::contains).toList();
        if (found.size() > 1) {
            throw s.error(found.get(1), "a step does one thing; this one has " + String.join(" and ", found) + " (split it into two steps)");
        }
        if (found.isEmpty()) {
            String hint = "";
            for (String k : s.keys()) {
                if (!STEP_KEYS.contains(k) && !Config.didYouMean(k, KIND_KEYS).isEmpty()) {
                    hint = " ('" + k + "'" + Config.didYouMean(k, KIND_KEYS) + ")";
                    break;
                }
            }
            throw s.error("a step needs one of " + String.join(", ", KIND_KEYS) + hint);
        }
        String key = found.get(0);
        s.has(key);
        return StepKind.valueOf(key.toUpperCase(Locale.ROOT));
    }

    /**
     * {@code - lakehouse: compact} or {@code - lakehouse: [compact, expire-snapshots, remove-orphans]}, with
     * {@code table}, {@code older_than} and {@code retain_last} beside it: the actions in the order they run (compact
     * first, so expiry and orphan removal clean up after it); options gets table, older_than (seconds), retain_last.
     */
    private static List<String> lakehouseActions(Config s, Map<String, String> options) {
        List<String> written = s.stringList("lakehouse");
        if (written.isEmpty()) throw s.error("lakehouse", "names what to do: " + String.join(", ", LAKEHOUSE_ACTIONS) + " (one, or a list)");
        for (String a : written) {
            if (!LAKEHOUSE_ACTIONS.contains(a)) {
                throw s.error("lakehouse", "unknown action '" + a + "'" + Config.didYouMean(a, LAKEHOUSE_ACTIONS) + "; expected "
                        + String.join(", ", LAKEHOUSE_ACTIONS));
            }
        }
        List<String> actions = LAKEHOUSE_ACTIONS.stream().filter(written::contains).toList();
        s.optString("table").ifPresent(t -> {
            if (t.indexOf('.') <= 0 || t.endsWith(".")) throw s.error("table", "expected namespace.table (such as hubspot.contacts), got '" + t + "'");
            options.put("table", t);
        });
        boolean expires = actions.contains("expire-snapshots");
        if (s.has("older_than")) {
            if (!expires) throw s.error("older_than", "applies to expire-snapshots only; add it to the lakehouse actions");
            options.put("older_than", Long.toString(duration(s, "older_than", s.string("older_than"), true).toSeconds()));
        }
        if (s.has("retain_last")) {
            if (!expires) throw s.error("retain_last", "applies to expire-snapshots only; add it to the lakehouse actions");
            int retain = s.intValue("retain_last", 1);
            if (retain < 1) throw s.error("retain_last", "must be 1 or more (the current snapshot holds the stream states), got " + retain);
            options.put("retain_last", Integer.toString(retain));
        }
        return actions;
    }

    private static Map<String, String> exportOptions(Config s) {
        Config e = s.child("export");
        if (!e.isPresent()) throw s.error("export", "needs model and path, e.g. {model: leads_per_month, path: exports/leads.parquet}");
        Map<String, String> options = new LinkedHashMap<>();
        options.put("model", e.string("model"));
        String path = e.string("path");
        options.put("path", path);
        List<String> partitionBy = e.has("partition_by") ? e.stringList("partition_by") : List.of();
        boolean s3 = path.regionMatches(true, 0, "s3://", 0, 5);
        if (s3 && partitionBy.isEmpty()) throw e.error("path", "an s3:// export is partitioned: add partition_by (e.g. [tenant, stream])");
        String lower = path.toLowerCase(Locale.ROOT);
        String guessed = lower.endsWith(".parquet") || !partitionBy.isEmpty() ? "parquet" : lower.endsWith(".csv") ? "csv" : null;
        String format = e.optString("format").map(f -> f.toLowerCase(Locale.ROOT)).orElse(guessed);
        if (format == null) throw e.error("format", "is required when the path does not end in .parquet or .csv");
        if (!format.equals("parquet") && !format.equals("csv")) {
            throw e.error("format", "unknown format '" + format + "'; expected parquet or csv");
        }
        options.put("format", format);
        if (!partitionBy.isEmpty()) {
            if (!format.equals("parquet")) throw e.error("format", "partitioned exports write parquet, not " + format);
            if (partitionBy.stream().anyMatch(String::isBlank)) throw e.error("partition_by", "has an empty column name");
            options.put("partition_by", String.join(",", partitionBy));
            if (lower.endsWith(".parquet")) throw e.error("path", "a partitioned export writes a folder of col=value/ folders; give a folder or s3://bucket/prefix, not a .parquet file");
        }
        if (e.has("keep_other_partitions")) {
            if (partitionBy.isEmpty()) throw e.error("keep_other_partitions", "applies to partitioned exports (with partition_by) only");
            options.put("keep_other_partitions", Boolean.toString(e.bool("keep_other_partitions", false)));
        }
        if (e.has("s3")) {
            if (!s3) throw e.error("s3", "applies to an s3:// path only");
            Config c = e.child("s3");
            c.optString("endpoint").ifPresent(v -> options.put("s3.endpoint", v));
            c.optString("region").ifPresent(v -> options.put("s3.region", v));
            if (c.has("path_style")) options.put("s3.path_style", Boolean.toString(c.bool("path_style", false)));
        }
        return options;
    }

    private static void checkNoCycle(Config p, List<Config> written, List<StepDef> steps) {
        Map<String, StepDef> byName = new HashMap<>();
        for (StepDef s : steps) byName.put(s.name(), s);
        Set<String> done = new HashSet<>();
        for (StepDef s : steps) {
            List<String> path = new ArrayList<>();
            List<String> cycle = findCycle(s.name(), byName, path, done);
            if (cycle != null) {
                int index = steps.indexOf(byName.get(cycle.get(0)));
                throw written.get(index).error("depends_on", "steps depend on each other in a cycle: " + String.join(" -> ", cycle));
            }
        }
    }

    private static List<String> findCycle(String step, Map<String, StepDef> byName, List<String> path, Set<String> done) {
        int at = path.indexOf(step);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(step);
            return cycle;
        }
        if (done.contains(step)) return null;
        path.add(step);
        for (String d : byName.get(step).dependsOn()) {
            List<String> cycle = findCycle(d, byName, path, done);
            if (cycle != null) return cycle;
        }
        path.remove(path.size() - 1);
        done.add(step);
        return null;
    }

    /**
     * A duration as written: a whole number with an optional unit, {@code 300} (seconds), {@code 300s}, {@code 5m},
     * {@code 1h}, {@code 1d}, {@code 500ms}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration '" + text + "': expected a whole number with s, m, h or d, such as 300s, 5m, 1h, 1d");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad duration '" + text + "': number too large");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static Duration duration(Config c, String key, String text, boolean zeroAllowed) {
        Duration d;
        try {
            d = parseDuration(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw c.error(key, e.getMessage());
        }
        if (!zeroAllowed && d.isZero()) throw c.error(key, "must be longer than zero");
        return d;
    }
}
