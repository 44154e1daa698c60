package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Records in the order read, the schema their values follow, input rejected along the way, and the state that
 * becomes true once this batch (and every earlier one) is stored. A source may widen its schema between
 * batches; it never narrows it. {@code completions} tell a merge writer which rows the source no longer has
 * (see {@link Completion}); most batches have none.
 */
public record RecordBatch(Schema schema, List<Record> records, List<Rejection> rejections, Optional<StreamState> checkpoint,
        List<Completion> completions) {
    public RecordBatch {
        requireNonNull(schema, "schema is null");
        requireNonNull(records, "records is null");
        rejections = List.copyOf(requireNonNull(rejections, "rejections is null"));
        requireNonNull(checkpoint, "checkpoint is null");
        completions = List.copyOf(requireNonNull(completions, "completions is null"));
    }

    public RecordBatch(Schema schema, List<Record> records, List<Rejection> rejections, Optional<StreamState> checkpoint) {
        this(schema, records, rejections, checkpoint, List.of());
    }

    public RecordBatch(Schema schema, List<Record> records, StreamState checkpoint) {
        this(schema, records, List.of(), Optional.ofNullable(checkpoint));
    }

    public int size() {
        return records.size();
    }

    public RecordBatch withRecords(Schema newSchema, List<Record> newRecords, List<Rejection> newRejections) {
        return new RecordBatch(newSchema, newRecords, newRejections, checkpoint, completions);
    }

    /** This batch saying also what it completes (see {@link Completion}). */
    public RecordBatch withCompletions(List<Completion> newCompletions) {
        return new RecordBatch(schema, records, rejections, checkpoint, newCompletions);
    }
}
