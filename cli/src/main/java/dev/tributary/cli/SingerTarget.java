package dev.tributary.cli;

import dev.tributary.engine.BatchCoercer;
import dev.tributary.project.ConnectionSettings;
import dev.tributary.project.StreamSettings;
import dev.tributary.singer.BatchFileReader;
import dev.tributary.singer.SingerMessage;
import dev.tributary.singer.SingerStream;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tributary as a Singer target: Singer messages in (one per line), rows into the project's destination. Records are
 * staged per stream; at a STATE message, once enough is staged (or enough time passed) and always at the end, every
 * stream's staged rows are committed, each with that STATE stored as its checkpoint, and only then are the STATE
 * messages received so far written to {@code stateOut}, in order: a STATE is never passed on before every record
 * sent before it is committed. Any failure (a bad message, a record before its SCHEMA, a record without its key
 * property) aborts what is staged: nothing since the last commit is committed, and no later STATE is passed on.
 * Write modes: merge on {@code key_properties} when the stream has them, append otherwise, unless the project's
 * connection says otherwise for the stream ({@code write_mode}, {@code primary_key}, {@code table}).
 */
final class SingerTarget {
    private static final System.Logger LOG = System.getLogger(SingerTarget.class.getName());

    private final DestinationSession session;
    private final String connection;
    private final Optional<ConnectionSettings> settings;
    private final RunId run;
    private final PrintWriter stateOut;
    private final int batchSize;
    private final long commitEveryRecords;
    private final Duration commitEvery;
    private final Path baseDir;
    private boolean replaceNul;
    private final Map<String, Target> streams = new LinkedHashMap<>();
    private final List<String> pendingStates = new ArrayList<>();
    private StreamState lastState;
    private long sinceCommit;
    private long lastCommit = System.nanoTime();
    private long committedRecords;
    private int commits;
    private int statesEmitted;

    SingerTarget(DestinationSession session, String connection, Optional<ConnectionSettings> settings, RunId run, PrintWriter stateOut,
            int batchSize, long commitEveryRecords, Duration commitEvery, Path baseDir) {
        this.session = session;
        this.connection = connection;
        this.settings = settings;
        this.run = run;
        this.stateOut = stateOut;
        this.batchSize = batchSize;
        this.commitEveryRecords = commitEveryRecords;
        this.commitEvery = commitEvery;
        this.baseDir = baseDir;
    }

    /** Replace U+0000 in strings with U+FFFD (counted and reported), for PostgreSQL, whose text cannot hold it. */
    SingerTarget replacingNul(boolean on) {
        this.replaceNul = on;
        return this;
    }

    /** One stream being loaded. */
    private static final class Target {
        final SingerStream singer;
        ConfiguredStream configured;
        StreamWriter writer;
        Optional<Schema> table;
        boolean staged;
        long stagedRecords;
        String passId;
        long passVersion;
        boolean versionWarned;

        Target(String name) {
            this.singer = new SingerStream(name);
        }
    }

    record Summary(long records, int commits, int statesEmitted, List<String> tables, Map<String, Long> nulReplaced) {}

    /** Loads every message of {@code in}; {@code inputName} (stdin, or a file) names lines in errors. */
    Summary run(BufferedReader in, String inputName) {
        long line = 0;
        try {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                line++;
                if (text.isBlank()) continue;
                handle(SingerMessage.parse(text, inputName + " line " + line));
            }
            commitAll();
        } catch (IOException e) {
            abortAll();
            throw new UncheckedIOException("reading Singer messages from " + inputName + " failed after line " + line + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            abortAll();
            throw e;
        } finally {
            for (Target t : streams.values()) {
                if (t.writer != null) t.writer.close();
            }
        }
        Map<String, Long> replaced = new LinkedHashMap<>();
        for (Target t : streams.values()) if (t.singer.nulReplaced() > 0) replaced.put(t.singer.name(), t.singer.nulReplaced());
        return new Summary(committedRecords, commits, statesEmitted, streams.values().stream()
                .filter(t -> t.configured != null).map(t -> session.tableOf(t.configured)).toList(), replaced);
    }

    private void handle(SingerMessage m) {
        switch (m) {
            case SingerMessage.SchemaMessage s -> schema(s);
            case SingerMessage.RecordMessage r -> {
                Target t = requireSchema(r.stream(), r.origin(), "RECORD");
                t.singer.add(r);
                if (t.singer.pending() >= batchSize) stage(t, false);
            }
            case SingerMessage.BatchMessage b -> {
                Target t = requireSchema(b.stream(), b.origin(), "BATCH");
                try (BatchFileReader files = new BatchFileReader(b, baseDir)) {
                    for (var r = files.next(); r.isPresent(); r = files.next()) {
                        t.singer.add(r.get());
                        if (t.singer.pending() >= batchSize) stage(t, false);
                    }
                }
            }
            case SingerMessage.StateMessage st -> {
                pendingStates.add(st.value().toString());
                lastState = new StreamState(StreamId.of("_singer"), 1, st.value());
                if (sinceCommit + pendingRecords() >= commitEveryRecords || System.nanoTime() - lastCommit >= commitEvery.toNanos()) commitAll();
            }
            case SingerMessage.ActivateVersionMessage v -> activateVersion(requireSchema(v.stream(), v.origin(), "ACTIVATE_VERSION"), v);
        }
    }

    private long pendingRecords() {
        long n = 0;
        for (Target t : streams.values()) n += t.singer.pending();
        return n;
    }

    private void schema(SingerMessage.SchemaMessage s) {
        Target t = streams.computeIfAbsent(s.stream(), Target::new);
        t.singer.replaceNul(replaceNul);
        if (t.singer.pending() > 0) stage(t, false); // rows so far follow the schema they came with
        t.singer.applySchema(s);
        if (t.writer == null) {
            Schema schema = t.singer.schema();
            StreamDescriptor d = new StreamDescriptor(StreamId.of(s.stream()), schema, Set.of(SyncMode.INCREMENTAL, SyncMode.FULL_REFRESH),
                    s.bookmarkProperties().stream().findFirst().filter(k -> schema.indexOf(k) >= 0));
            t.configured = configure(d, s.origin());
            t.writer = session.writer(t.configured, run);
            t.table = t.writer.tableSchema();
        }
    }

    private ConfiguredStream configure(StreamDescriptor d, String origin) {
        String name = d.id().name();
        Optional<StreamSettings> s = settings.map(c -> c.streams().get(name));
        List<String> key = s.flatMap(StreamSettings::primaryKey).orElse(d.schema().primaryKey());
        WriteMode write = s.flatMap(StreamSettings::writeMode).orElse(key.isEmpty() ? WriteMode.APPEND : WriteMode.MERGE);
        if (write == WriteMode.OVERWRITE) {
            throw new DataException(origin, "stream '" + name + "': write_mode overwrite is not available to a target (it cannot tell when a"
                    + " stream is complete); use merge or append");
        }
        if (write == WriteMode.MERGE && key.isEmpty()) {
            throw new DataException(origin, "stream '" + name + "': write_mode merge needs key_properties in its SCHEMA or a primary_key in "
                    + "tributary.yml");
        }
        ErrorPolicy onError = s.flatMap(StreamSettings::onError).orElse(settings.map(ConnectionSettings::onError).orElse(ErrorPolicy.FAIL));
        String schema = settings.map(ConnectionSettings::schema).orElse(connection);
        return new ConfiguredStream(connection, d, SyncMode.INCREMENTAL, write, key, onError, schema, s.flatMap(StreamSettings::table).orElse(name));
    }

    private Target requireSchema(String stream, String origin, String what) {
        Target t = streams.get(stream);
        if (t == null || t.writer == null) {
            throw new DataException(origin, what + " of stream '" + stream + "' before its SCHEMA message (a tap must describe a stream before"
                    + " sending its records); nothing since the last committed STATE was committed");
        }
        return t;
    }

    private void activateVersion(Target t, SingerMessage.ActivateVersionMessage v) {
        if (t.configured.writeMode() != WriteMode.MERGE) {
            if (!t.versionWarned) {
                t.versionWarned = true;
                LOG.log(System.Logger.Level.WARNING, v.origin() + ": ACTIVATE_VERSION " + v.version() + " of stream " + t.singer.name()
                        + " asks to drop rows of older versions, which write mode append keeps; give the stream key_properties (merge:"
                        + " older rows become soft deletes)");
            }
            return;
        }
        if (t.passId != null && t.passVersion == v.version()) {
            stage(t, true);
            return;
        }
        stage(t, false);
        t.passId = "singer-" + t.singer.name() + "-version-" + v.version();
        t.passVersion = v.version();
    }

    /** Coerces and stages what a stream gathered; {@code endsPass} ends its ACTIVATE_VERSION pass with this batch. */
    private void stage(Target t, boolean endsPass) {
        SingerStream.Drained d = t.singer.drain();
        if (d.records().isEmpty() && d.rejections().isEmpty() && !endsPass) return;
        RecordBatch batch = new RecordBatch(d.schema(), d.records(), d.rejections(), Optional.empty());
        if (t.passId != null) {
            List<List<Object>> keys = new ArrayList<>();
            int[] idx = t.configured.primaryKey().stream().mapToInt(d.schema()::indexOf).toArray();
            for (var r : d.records()) {
                List<Object> k = new ArrayList<>();
                for (int i : idx) k.add(i < 0 || r.value(i) == null ? "" : r.value(i).toString());
                keys.add(k);
            }
            batch = batch.withCompletions(List.of(new dev.tributary.spi.Completion.KeysSeen(t.passId, keys, endsPass, java.time.Instant.now())));
            if (endsPass) t.passId = null;
        }
        List<String> requiredKey = t.configured.writeMode() == WriteMode.APPEND ? List.of() : t.configured.primaryKey();
        RecordBatch coerced = BatchCoercer.coerce(batch, t.table, requiredKey);
        if (!coerced.rejections().isEmpty() && t.configured.onError() == ErrorPolicy.FAIL) {
            Rejection first = coerced.rejections().get(0);
            throw new DataException(first.origin(), first.reason() + "; nothing of stream '" + t.singer.name()
                    + "' since its last committed STATE was committed (on_error: reject in tributary.yml keeps bad records in _tributary_rejects)");
        }
        t.table = Optional.of(t.table.map(x -> x.merge(coerced.schema())).orElse(coerced.schema()));
        t.writer.write(coerced);
        t.staged = true;
        t.stagedRecords += coerced.size();
        sinceCommit += coerced.size() + coerced.rejections().size();
    }

    /** Stages what is gathered, commits every stream with the latest STATE, then passes the received STATEs on. */
    private void commitAll() {
        for (Target t : streams.values()) {
            if (t.writer != null) stage(t, false);
        }
        for (Target t : streams.values()) {
            if (t.writer == null || !t.staged && lastState == null) continue;
            Optional<StreamState> checkpoint = lastState == null ? Optional.empty()
                    : Optional.of(new StreamState(t.configured.id(), 1, lastState.value()));
            t.writer.commit(checkpoint);
            committedRecords += t.stagedRecords;
            t.stagedRecords = 0;
            t.staged = false;
        }
        commits++;
        sinceCommit = 0;
        lastCommit = System.nanoTime();
        for (String s : pendingStates) {
            stateOut.println("{\"type\":\"STATE\",\"value\":" + s + "}");
            statesEmitted++;
        }
        stateOut.flush();
        pendingStates.clear();
    }

    private void abortAll() {
        for (Target t : streams.values()) {
            if (t.writer == null) continue;
            try {
                t.writer.abort();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "aborting stream " + t.singer.name() + " failed: " + e.getMessage());
            }
        }
    }
}
