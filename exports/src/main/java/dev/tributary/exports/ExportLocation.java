package dev.tributary.exports;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** Where a partitioned export goes: a local folder, or a bucket and key prefix on S3 (or an S3-compatible store). */
public sealed interface ExportLocation {
    /** The location as a user wrote it, for messages: {@code exports/leads} or {@code s3://bucket/prefix}. */
    String describe();

    /** A folder on this machine; {@code root} holds the {@code col=value/} folders. */
    record LocalFolder(Path root) implements ExportLocation {
        public LocalFolder {
            requireNonNull(root, "root is null");
            root = root.toAbsolutePath().normalize();
        }

        @Override
        public String describe() {
            return root.toString();
        }
    }

    /** {@code s3://bucket/prefix}: prefix without leading or trailing slash (may be empty). */
    record S3Prefix(String bucket, String prefix) implements ExportLocation {
        public S3Prefix {
            requireNonNull(bucket, "bucket is null");
            requireNonNull(prefix, "prefix is null");
            if (bucket.isBlank()) throw new IllegalArgumentException("an s3:// path needs a bucket: s3://bucket/prefix");
            prefix = prefix.replaceAll("^/+|/+$", "");
        }

        /** The key of {@code relative} under the prefix. */
        String key(String relative) {
            return prefix.isEmpty() ? relative : prefix + "/" + relative;
        }

        @Override
        public String describe() {
            return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    /** {@code s3://bucket/prefix} or a folder (relative paths against {@code baseDir}). */
    static ExportLocation parse(String path, Path baseDir) {
        requireNonNull(path, "path is null");
        if (path.regionMatches(true, 0, "s3://", 0, 5)) {
            String rest = path.substring(5);
            int slash = rest.indexOf('/');
            return slash < 0 ? new S3Prefix(rest, "") : new S3Prefix(rest.substring(0, slash), rest.substring(slash + 1));
        }
        if (path.contains("://")) throw new IllegalArgumentException("unsupported export location '" + path + "': a folder or s3://bucket/prefix");
        return new LocalFolder(baseDir.resolve(path));
    }
}
