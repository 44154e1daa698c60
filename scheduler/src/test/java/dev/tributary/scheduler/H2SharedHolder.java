package dev.tributary.scheduler;

import java.nio.file.Path;

/** Another process holding the embedded store as serve does ({@link JdbcMetadataStore#h2Shared}) until its input ends: {@code folder}. */
public final class H2SharedHolder {
    private H2SharedHolder() {}

    public static void main(String[] args) throws Exception {
        try (JdbcMetadataStore store = JdbcMetadataStore.h2Shared(Path.of(args[0]))) {
            System.out.println("holding");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input
            }
        }
    }
}
