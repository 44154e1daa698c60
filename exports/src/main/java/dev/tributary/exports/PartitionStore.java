package dev.tributary.exports;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The storage side of a partitioned export: a tree of {@code col=value/} folders, each holding data files and a
 * {@code _SUCCESS} manifest. Partitions are named by their relative path ({@code tenant=42/stream=contacts}).
 */
interface PartitionStore extends AutoCloseable {
    /** The location, for messages. */
    String describe();

    /** Partitions at this depth holding a manifest or data files (hidden {@code _}/{@code .} folders left out). */
    Set<String> partitions(int depth);

    /**
     * Partitions at any depth that hold a manifest or data files: a location exported before with other partition
     * columns holds them at another depth than this export's.
     */
    Set<String> filledPartitions();

    Optional<PartitionManifest> manifest(String partition);

    /** The data file names ({@code *.parquet}) now in the partition, listed or not. */
    List<String> dataFiles(String partition);

    /** Puts a finished local file into the partition under {@code name}; the local file may be gone afterwards. */
    void publish(Path file, String partition, String name);

    /** Replaces the partition's manifest in one step: the commit point of the partition. */
    void commit(String partition, PartitionManifest manifest);

    /** Removes a data file or the manifest; a missing one is not an error. */
    void delete(String partition, String name);

    @Override
    void close();
}
