package dev.tributary.exports;

/**
 * What a partitioned export did.
 *
 * @param exportId          the id in every file name and manifest it wrote
 * @param location          where it wrote, as {@link ExportLocation#describe()}
 * @param partitionsWritten partitions replaced (or created)
 * @param partitionsRemoved partitions removed because the relation no longer has rows for them
 * @param files             data files written
 * @param rows              rows written
 * @param bytes             bytes of data files written
 */
public record ExportResult(String exportId, String location, int partitionsWritten, int partitionsRemoved, int files, long rows, long bytes) {
}
