package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A stream as a project selected it: which connection it belongs to, how to read and write it, and where it
 * lands. {@code target} is the destination table name as the user would write it (destinations normalise it).
 */
public record ConfiguredStream(
        String connection,
        StreamDescriptor descriptor,
        SyncMode syncMode,
        WriteMode writeMode,
        List<String> primaryKey,
        ErrorPolicy onError,
        String targetNamespace,
        String target) {

    public ConfiguredStream {
        requireNonNull(connection, "connection is null");
        requireNonNull(descriptor, "descriptor is null");
        requireNonNull(syncMode, "syncMode is null");
        requireNonNull(writeMode, "writeMode is null");
        primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
        requireNonNull(onError, "onError is null");
        requireNonNull(targetNamespace, "targetNamespace is null");
        requireNonNull(target, "target is null");
        if (writeMode == WriteMode.MERGE && primaryKey.isEmpty()) {
            throw new IllegalArgumentException("stream " + descriptor.id() + ": write mode merge needs a primary key");
        }
    }

    /** The defaults a project gets without saying anything: incremental where supported, merge where keyed. */
    public static ConfiguredStream defaults(String connection, StreamDescriptor d) {
        SyncMode sync = d.supports(SyncMode.INCREMENTAL) ? SyncMode.INCREMENTAL : SyncMode.FULL_REFRESH;
        List<String> key = d.schema().primaryKey();
        WriteMode write = !key.isEmpty() ? WriteMode.MERGE : sync == SyncMode.INCREMENTAL ? WriteMode.APPEND : WriteMode.OVERWRITE;
        return new ConfiguredStream(connection, d, sync, write, key, ErrorPolicy.FAIL, connection, d.id().name());
    }

    public StreamId id() {
        return descriptor.id();
    }

    public Schema schema() {
        return descriptor.schema();
    }

    public ConfiguredStream withDescriptor(StreamDescriptor d) {
        return new ConfiguredStream(connection, d, syncMode, writeMode, primaryKey, onError, targetNamespace, target);
    }

    public ConfiguredStream withModes(SyncMode sync, WriteMode write) {
        return new ConfiguredStream(connection, descriptor, sync, write, primaryKey, onError, targetNamespace, target);
    }

    public ConfiguredStream withOnError(ErrorPolicy policy) {
        return new ConfiguredStream(connection, descriptor, syncMode, writeMode, primaryKey, policy, targetNamespace, target);
    }

    public ConfiguredStream withTarget(String namespace, String table) {
        return new ConfiguredStream(connection, descriptor, syncMode, writeMode, primaryKey, onError, namespace, table);
    }

    public ConfiguredStream withPrimaryKey(List<String> key) {
        return new ConfiguredStream(connection, descriptor, syncMode, writeMode, key, onError, targetNamespace, target);
    }
}
