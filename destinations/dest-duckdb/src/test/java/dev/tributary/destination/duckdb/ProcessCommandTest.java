package dev.tributary.destination.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The holder a second writer is told about is the whole command line, options included, without secrets. */
class ProcessCommandTest {
    @Test
    void optionsAreKeptAndSecretValuesHidden() {
        assertThat(DuckDbSession.commandLine("dev.tributary.cli.Main -p /work/proj sync hubspot --wait"))
                .isEqualTo("tributary -p /work/proj sync hubspot --wait");
        assertThat(DuckDbSession.commandLine("/opt/tributary.jar build --vars {api_token:abc} --threads 2"))
                .isEqualTo("tributary build --vars *** --threads 2");
        assertThat(DuckDbSession.commandLine("dev.tributary.cli.Main run --vars={pw:x} --api-key k1"))
                .isEqualTo("tributary run --vars=*** --api-key ***");
    }
}
