package dev.tributary.source.singer;

import dev.tributary.singer.BatchFileReader;
import dev.tributary.singer.SingerMessage;
import dev.tributary.singer.SingerStream;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.Completion;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one stream from a run of the tap that has only this stream selected. Records gathered before a STATE message
 * are "sealed" with that state: a batch carries a checkpoint only when every record in it came before that STATE, so
 * the engine commits a STATE only together with every record emitted before it. Records after the last STATE of a
 * clean run are committed with that last STATE (the tap reads them again next time, which merge on keys absorbs and
 * append stores twice: see the README). A tap that fails, hangs or is killed commits nothing past its last committed
 * STATE. A version on a merge stream becomes a reconciliation pass: rows the new version no longer has are
 * soft-deleted when the version ends. The pass of version V begins at an ACTIVATE_VERSION V sent before any record
 * of the stream, or (full refresh only) at the first RECORD carrying {@code "version": V}; it ends at an ACTIVATE_VERSION V that follows
 * records of V, or at the tap's clean end only when it began with an ACTIVATE_VERSION before V's records. An
 * ACTIVATE_VERSION that only closes records which carried no version ends nothing (their keys were not collected),
 * with a warning: deleting on it would delete every row loaded before it.
 */
final class SingerStreamReader implements StreamReader {
    private static final System.Logger LOG = System.getLogger(SingerStreamReader.class.getName());

    private final SingerConfig config;
    private final ConfiguredStream stream;
    private final TapProcess tap;
    private final SingerStream singer;
    private final Set<String> ignoredStreams = new HashSet<>();
    private boolean schemaSeen;
    private BatchFileReader batchFile;
    private Optional<StreamState> lastState;

    // records that precede the latest STATE, waiting to go out with it
    private Schema sealedSchema;
    private final List<Record> sealed = new ArrayList<>();
    private final List<Rejection> sealedRejections = new ArrayList<>();
    private Optional<StreamState> sealedState = Optional.empty();

    private String passId;
    private long passVersion;
    private boolean passOpenedFirst; // by an ACTIVATE_VERSION before any record of its version
    private boolean passHasRecords;
    private boolean recordsSeen; // any record of this stream
    private boolean uncheckpointed; // a batch with records went out without a checkpoint and none followed
    private boolean flushEnding;
    private boolean versionWarned;
    private boolean ended;
    private boolean exitChecked;
    private boolean finished;

    SingerStreamReader(SingerConfig config, SingerCatalog catalog, ConfiguredStream stream, Optional<StreamState> resumeFrom) {
        this.config = config;
        this.stream = stream;
        this.singer = new SingerStream(stream.id().name());
        this.lastState = resumeFrom;
        String flag = config.catalogFlag() == SingerConfig.CatalogFlag.PROPERTIES ? "--properties" : "--catalog";
        List<String> flags = new ArrayList<>(List.of(flag));
        List<JsonNode> docs = new ArrayList<>();
        docs.add(catalog.forRun(stream));
        if (resumeFrom.isPresent() && stream.syncMode() == SyncMode.INCREMENTAL) {
            flags.add("--state");
            docs.add(resumeFrom.get().value());
        }
        this.tap = TapProcess.start(config, "stream " + stream.id(), flags, docs);
    }

    @Override
    public Optional<RecordBatch> next() {
        if (finished) return Optional.empty();
        if (flushEnding) {
            flushEnding = false;
            SingerStream.Drained d = singer.drain();
            return Optional.of(batch(d.schema(), d.records(), d.rejections(), Optional.empty(), true));
        }
        while (!ended) {
            SingerMessage m = nextMessage();
            if (m == null) {
                ended = true;
                break;
            }
            Optional<RecordBatch> out = handle(m);
            if (out.isPresent()) return out;
        }
        if (!exitChecked) {
            // records before the tap's last STATE are complete whatever happened after: they go out with it first
            if (hasSealed()) return Optional.of(emitSealed(false));
            exitChecked = true;
            tap.finish(); // throws when the tap failed or hung: nothing after its last STATE is committed
        }
        finished = true;
        boolean endsPass = passId != null && passOpenedFirst;
        if (passId != null && !passOpenedFirst) {
            LOG.log(System.Logger.Level.WARNING, config.logPrefix() + "the tap ended without an ACTIVATE_VERSION " + passVersion + " closing version "
                    + passVersion + " of stream " + stream.id() + "; the keys it sent are kept and no rows are deleted until a run ends that version");
        }
        // a pass-ending batch (or a full one) without checkpoint may have been the last: the last STATE goes out after it
        if (singer.pending() == 0 && !endsPass && !uncheckpointed) return Optional.empty();
        SingerStream.Drained rest = singer.drain();
        if (!rest.records().isEmpty() && lastState.isPresent() && stream.writeMode() == WriteMode.APPEND) {
            LOG.log(System.Logger.Level.WARNING, config.logPrefix() + rest.records().size() + " records of stream " + stream.id()
                    + " came after the tap's last STATE; they are committed with it, so the tap may send them again next run"
                    + " and append mode will store them twice (merge on keys would not)");
        }
        Optional<StreamState> checkpoint = lastState.isPresent() || stream.syncMode() != SyncMode.INCREMENTAL ? lastState
                : Optional.of(new StreamState(stream.id(), 1, SingerMessage.JSON.createObjectNode())); // a tap that never sends STATE
        return Optional.of(batch(rest.schema(), rest.records(), rest.rejections(), checkpoint, endsPass));
    }

    private SingerMessage nextMessage() {
        while (true) {
            if (batchFile != null) {
                Optional<SingerMessage.RecordMessage> r = batchFile.next();
                if (r.isPresent()) return r.get();
                batchFile.close();
                batchFile = null;
            }
            String line = tap.readLine();
            if (line == null) return null;
            if (line.isBlank()) continue;
            SingerMessage m;
            try {
                m = SingerMessage.parse(line, tap.origin(tap.lineNumber()));
            } catch (DataException e) {
                // the message quotes the line, which may be the tap printing its settings
                String problem = e.getMessage().startsWith(e.origin() + ": ") ? e.getMessage().substring(e.origin().length() + 2) : e.getMessage();
                throw new DataException(e.origin(), tap.redact(problem));
            }
            if (m instanceof SingerMessage.BatchMessage b && b.stream().equals(singer.name())) {
                requireSchema(b.origin(), "BATCH");
                batchFile = new BatchFileReader(b, config.basePath());
                continue;
            }
            return m;
        }
    }

    private Optional<RecordBatch> handle(SingerMessage m) {
        switch (m) {
            case SingerMessage.SchemaMessage s -> {
                if (!s.stream().equals(singer.name())) return Optional.empty();
                singer.applySchema(s);
                schemaSeen = true;
            }
            case SingerMessage.RecordMessage r -> {
                if (!r.stream().equals(singer.name())) {
                    ignore(r.stream());
                    return Optional.empty();
                }
                requireSchema(r.origin(), "RECORD");
                trackVersion(r);
                singer.add(r);
                if (singer.pending() >= config.batchSize()) {
                    if (hasSealed()) return Optional.of(emitSealed(false)); // a STATE waiting goes out before later records
                    SingerStream.Drained d = singer.drain();
                    return Optional.of(batch(d.schema(), d.records(), d.rejections(), Optional.empty(), false));
                }
            }
            case SingerMessage.StateMessage st -> {
                StreamState state = new StreamState(stream.id(), 1, st.value());
                lastState = Optional.of(state);
                SingerStream.Drained d = singer.drain();
                sealedSchema = d.schema();
                sealed.addAll(d.records());
                sealedRejections.addAll(d.rejections());
                sealedState = lastState;
                // hand the STATE on at once when the tap pauses; while more output waits, keep filling the batch
                if (sealed.size() + sealedRejections.size() >= config.batchSize() || !tap.ready()) return Optional.of(emitSealed(false));
            }
            case SingerMessage.ActivateVersionMessage v -> {
                if (!v.stream().equals(singer.name())) return Optional.empty();
                return activateVersion(v);
            }
            case SingerMessage.BatchMessage b -> ignore(b.stream());
        }
        return Optional.empty();
    }

    private Optional<RecordBatch> activateVersion(SingerMessage.ActivateVersionMessage v) {
        boolean keyed = stream.writeMode() == WriteMode.MERGE && !stream.primaryKey().isEmpty();
        if (!keyed) {
            if (!versionWarned && stream.writeMode() == WriteMode.APPEND) {
                versionWarned = true;
                LOG.log(System.Logger.Level.WARNING, config.logPrefix() + v.origin() + ": ACTIVATE_VERSION " + v.version() + " of stream " + stream.id()
                        + " asks to drop rows of older versions, which write mode append keeps; use write_mode: merge (older rows become"
                        + " soft deletes) or overwrite (the table is replaced by this run)");
            }
            return Optional.empty(); // overwrite replaces the table with this run's rows anyway
        }
        if (passId != null && passVersion == v.version() && !passHasRecords) return Optional.empty(); // the start marker again
        if (passId != null && passVersion == v.version()) {
            // the version is complete: rows it did not send are deleted by the batch that ends the pass
            if (hasSealed()) {
                flushEnding = true; // the records after the last STATE follow in the next batch, which ends the pass
                return Optional.of(emitSealed(false));
            }
            SingerStream.Drained d = singer.drain();
            return Optional.of(batch(d.schema(), d.records(), d.rejections(), Optional.empty(), true));
        }
        if (recordsSeen) {
            // an end marker after records that did not say they were of this version: their keys were not collected
            LOG.log(System.Logger.Level.WARNING, config.logPrefix() + v.origin() + ": ACTIVATE_VERSION " + v.version() + " of stream " + stream.id()
                    + " came after records whose keys were not collected for it (they carried no \"version\": " + v.version()
                    + (stream.syncMode() == SyncMode.INCREMENTAL ? ", or the stream is incremental, where only a marker before the records starts a pass" : "")
                    + "); rows this version lacks cannot be told apart, so none are soft-deleted this run");
            return Optional.empty();
        }
        openPass(v.version(), true);
        return Optional.empty();
    }

    /** A RECORD of a merge stream carrying a version opens the pass of that version (when the tap sent no start marker). */
    private void trackVersion(SingerMessage.RecordMessage r) {
        recordsSeen = true;
        boolean keyed = stream.writeMode() == WriteMode.MERGE && !stream.primaryKey().isEmpty();
        if (!keyed) return;
        // only a full-table read versions the table each run; incremental taps (pipelinewise) tag every record with a
        // version that never ends, whose keys would pile up in the destination run after run
        if (r.version().isPresent() && stream.syncMode() == SyncMode.FULL_REFRESH && (passId == null || passVersion != r.version().get())) {
            if (passId != null) {
                LOG.log(System.Logger.Level.WARNING, config.logPrefix() + r.origin() + ": a record of version " + r.version().get() + " of stream "
                        + stream.id() + " while version " + passVersion + " was not ended; that version is abandoned and deletes nothing");
            }
            openPass(r.version().get(), false);
        }
        if (passId != null) passHasRecords = true;
    }

    private void openPass(long version, boolean first) {
        passId = "singer-" + stream.id().name() + "-version-" + version;
        passVersion = version;
        passOpenedFirst = first;
        passHasRecords = false;
    }

    private boolean hasSealed() {
        return !sealed.isEmpty() || !sealedRejections.isEmpty() || sealedState.isPresent();
    }

    private RecordBatch emitSealed(boolean endsPass) {
        RecordBatch b = batch(sealedSchema == null ? singer.schema() : sealedSchema, new ArrayList<>(sealed), new ArrayList<>(sealedRejections),
                sealedState, endsPass);
        sealed.clear();
        sealedRejections.clear();
        sealedState = Optional.empty();
        return b;
    }

    private RecordBatch batch(Schema schema, List<Record> records, List<Rejection> rejections, Optional<StreamState> checkpoint, boolean endsPass) {
        List<Record> padded = records;
        int width = schema.fields().size();
        if (records.stream().anyMatch(r -> r.values().length != width)) {
            padded = new ArrayList<>(records.size());
            for (Record r : records) padded.add(r.values().length == width ? r : new Record(java.util.Arrays.copyOf(r.values(), width), r.origin()));
        }
        RecordBatch b = new RecordBatch(schema, padded, rejections, checkpoint);
        if (checkpoint.isPresent()) uncheckpointed = false;
        else if (!padded.isEmpty() || !rejections.isEmpty()) uncheckpointed = true;
        if (passId == null) return b;
        List<List<Object>> keys = new ArrayList<>(padded.size());
        int[] idx = stream.primaryKey().stream().mapToInt(schema::indexOf).toArray();
        for (Record r : padded) {
            List<Object> k = new ArrayList<>(idx.length);
            for (int i : idx) {
                Object v = i < 0 ? null : r.value(i);
                k.add(v == null ? "" : v.toString());
            }
            keys.add(k);
        }
        Completion seen = new Completion.KeysSeen(passId, keys, endsPass, Instant.now());
        if (endsPass) passId = null;
        return b.withCompletions(List.of(seen));
    }

    private void requireSchema(String origin, String what) {
        if (!schemaSeen) {
            throw new DataException(origin, what + " of stream '" + singer.name() + "' before its SCHEMA message (a tap must describe a stream before sending its records)");
        }
    }

    private void ignore(String other) {
        if (ignoredStreams.add(other)) {
            LOG.log(System.Logger.Level.WARNING, config.logPrefix() + "the tap sent messages of stream '" + other + "', which this run of stream "
                    + stream.id() + " did not select; they are not loaded here (the tap ignores selection, or the stream is a parent it must read)");
        }
    }

    @Override
    public void close() {
        if (batchFile != null) batchFile.close();
        tap.close();
    }
}
