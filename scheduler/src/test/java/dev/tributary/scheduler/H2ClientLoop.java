package dev.tributary.scheduler;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** A second process writing runs through {@link JdbcMetadataStore#h2Client}, as a CLI command does: {@code folder count}. */
public final class H2ClientLoop {
    private H2ClientLoop() {}

    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        for (int i = 0; i < count; i++) {
            try (JdbcMetadataStore store = JdbcMetadataStore.h2Client(folder)) {
                store.createRun("cli", "cli", Instant.now(), Optional.empty());
            }
        }
        System.out.println("done, refused " + JdbcMetadataStore.fileRefusals.get() + " times");
    }
}
