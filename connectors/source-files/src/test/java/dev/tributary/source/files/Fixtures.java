package dev.tributary.source.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: files written into a test folder, and configurations written as JSON (with ' for "). */
final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    static Path write(Path dir, String relative, String content) {
        return write(dir, relative, content, StandardCharsets.UTF_8);
    }

    static Path write(Path dir, String relative, String content, Charset charset) {
        return writeBytes(dir, relative, content.getBytes(charset));
    }

    static Path writeBytes(Path dir, String relative, byte[] content) {
        try {
            Path file = dir.resolve(relative);
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A configuration from JSON in which ' stands for ". */
    static Config config(String json) {
        try {
            return Config.of(JSON.readTree(json.replace('\'', '"')));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A configuration with base_path {@code dir}, the given batch size and one stream given as JSON. */
    static Config config(Path dir, int batchSize, String streamJson) {
        return config("{'base_path': " + quote(dir.toString()) + ", 'batch_size': " + batchSize + ", 'streams': [" + streamJson + "]}");
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s).replace('"', '\'');
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
