package dev.tributary.exports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A partitioned export under an S3 prefix. Every PUT is atomic for readers (an object is there whole or not at all),
 * so data files go straight to their final keys and the {@code _SUCCESS} PUT is the partition's commit point.
 * The keys under the prefix are listed once when the store opens.
 */
final class S3PartitionStore implements PartitionStore {
    private final S3Client s3;
    private final ExportLocation.S3Prefix location;
    private final Map<String, List<String>> namesByFolder = new TreeMap<>();

    S3PartitionStore(S3Client s3, ExportLocation.S3Prefix location) {
        this.s3 = s3;
        this.location = location;
        String prefix = location.prefix().isEmpty() ? "" : location.prefix() + "/";
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(prefix)).contents()) {
                String relative = o.key().substring(prefix.length());
                int slash = relative.lastIndexOf('/');
                if (slash <= 0) continue;
                namesByFolder.computeIfAbsent(relative.substring(0, slash), k -> new ArrayList<>()).add(relative.substring(slash + 1));
            }
        } catch (SdkException e) {
            throw new IllegalStateException("cannot list " + location.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return location.describe();
    }

    @Override
    public Set<String> partitions(int depth) {
        Set<String> found = new TreeSet<>();
        for (String folder : namesByFolder.keySet()) {
            if (PartitionPaths.isPartitionPath(folder, depth)) found.add(folder);
        }
        return found;
    }

    @Override
    public Set<String> filledPartitions() {
        Set<String> found = new TreeSet<>();
        namesByFolder.forEach((folder, names) -> {
            if (PartitionPaths.isPartitionPath(folder)
                    && names.stream().anyMatch(n -> n.equals(PartitionManifest.FILE_NAME) || PartitionPaths.isDataFile(n))) {
                found.add(folder);
            }
        });
        return found;
    }

    @Override
    public Optional<PartitionManifest> manifest(String partition) {
        String key = location.key(partition + "/" + PartitionManifest.FILE_NAME);
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(key)).asByteArray();
            return Optional.of(PartitionManifest.fromJson(bytes, "s3://" + location.bucket() + "/" + key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read s3://" + location.bucket() + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> dataFiles(String partition) {
        return namesByFolder.getOrDefault(partition, List.of()).stream().filter(PartitionPaths::isDataFile).sorted().toList();
    }

    @Override
    public void publish(Path file, String partition, String name) {
        String key = location.key(partition + "/" + name);
        try {
            s3.putObject(b -> b.bucket(location.bucket()).key(key), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new IllegalStateException("cannot upload " + file + " to s3://" + location.bucket() + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void commit(String partition, PartitionManifest manifest) {
        String key = location.key(partition + "/" + PartitionManifest.FILE_NAME);
        try {
            s3.putObject(b -> b.bucket(location.bucket()).key(key).contentType("application/json"), RequestBody.fromBytes(manifest.toJson()));
        } catch (SdkException e) {
            throw new IllegalStateException("cannot write s3://" + location.bucket() + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String partition, String name) {
        String key = location.key(partition + "/" + name);
        try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(key));
        } catch (SdkException e) {
            throw new IllegalStateException("cannot delete s3://" + location.bucket() + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
