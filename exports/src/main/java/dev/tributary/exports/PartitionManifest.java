package dev.tributary.exports;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition's {@code _SUCCESS} file: the export that wrote it and the data files that make up the partition now.
 * Replacing it is the moment the partition changes for a reader that honours it.
 *
 * @param exportId the export that committed these files
 * @param files    the partition's data file names (no folder), in order
 * @param rows     how many rows these files hold
 * @param committedAt when the export committed them
 */
public record PartitionManifest(String exportId, List<String> files, long rows, Instant committedAt) {
    public static final String FILE_NAME = "_SUCCESS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    public PartitionManifest {
        requireNonNull(exportId, "exportId is null");
        files = List.copyOf(files);
        requireNonNull(committedAt, "committedAt is null");
    }

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("writer", "tributary");
        root.put("export_id", exportId);
        root.put("committed_at", committedAt.toString());
        root.put("rows", rows);
        files.forEach(root.putArray("files")::add);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Reads a manifest; {@code where} names it in the error when it is not one of ours. */
    static PartitionManifest fromJson(byte[] bytes, String where) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.path("files").isArray() || !root.path("export_id").isTextual()) {
                throw new IllegalStateException(where + " is not a Tributary export manifest (expected JSON with export_id and files); was this folder written by something else?"
                        + (bytes.length == 0 ? " (it is empty)" : ""));
            }
            if (root.path("version").asInt() > VERSION) {
                throw new IllegalStateException(where + " has manifest version " + root.path("version").asInt() + ", newer than this Tributary understands (" + VERSION + ")");
            }
            List<String> files = new ArrayList<>();
            root.path("files").forEach(f -> files.add(f.asText()));
            return new PartitionManifest(root.path("export_id").asText(), files, root.path("rows").asLong(), Instant.parse(root.path("committed_at").asText()));
        } catch (IOException e) {
            throw new IllegalStateException(where + " is not valid JSON: " + e.getMessage() + " (" + new String(bytes, 0, Math.min(bytes.length, 60), StandardCharsets.UTF_8) + ")", e);
        }
    }
}
