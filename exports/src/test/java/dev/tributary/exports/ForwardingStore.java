package dev.tributary.exports;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A store passing every call to another, for test stores that change one step. */
abstract class ForwardingStore implements PartitionStore {
    private final PartitionStore delegate;

    ForwardingStore(PartitionStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public Set<String> partitions(int depth) {
        return delegate.partitions(depth);
    }

    @Override
    public Set<String> filledPartitions() {
        return delegate.filledPartitions();
    }

    @Override
    public Optional<PartitionManifest> manifest(String partition) {
        return delegate.manifest(partition);
    }

    @Override
    public List<String> dataFiles(String partition) {
        return delegate.dataFiles(partition);
    }

    @Override
    public void publish(Path file, String partition, String name) {
        delegate.publish(file, partition, name);
    }

    @Override
    public void commit(String partition, PartitionManifest manifest) {
        delegate.commit(partition, manifest);
    }

    @Override
    public void delete(String partition, String name) {
        delegate.delete(partition, name);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
