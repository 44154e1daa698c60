package dev.tributary.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretStoreTest {
    private static final String TOKEN = "na1-secret-refresh-token-0123456789";

    @TempDir
    Path project;

    @Test
    void valuesAreEncryptedAtRestUnderAnOwnerOnlyKeyAndReadBackByANewStore() throws Exception {
        FileSecretStore store = FileSecretStore.forProject(project, Map.of());
        assertThat(store.read("hubspot/x")).isEmpty();
        store.write("hubspot/x", TOKEN);
        store.write("other", "second value");

        String onDisk = Files.readString(store.file());
        assertThat(onDisk).contains("hubspot/x").doesNotContain(TOKEN).doesNotContain("second value");
        Path keyFile = project.resolve(".tributary/secret.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(store.toString()).doesNotContain(TOKEN);

        FileSecretStore reopened = FileSecretStore.forProject(project, Map.of());
        assertThat(reopened.read("hubspot/x")).contains(TOKEN);
        assertThat(reopened.read("other")).contains("second value");
    }

    @Test
    void aKeyFromTheEnvironmentIsUsedAndAWrongKeyFailsWithoutRevealingTheValue() {
        FileSecretStore store = FileSecretStore.forProject(project, Map.of(FileSecretStore.KEY_ENV, "correct horse battery staple"));
        store.write("hubspot/x", TOKEN);
        assertThat(project.resolve(".tributary/secret.key")).doesNotExist();
        assertThat(FileSecretStore.forProject(project, Map.of(FileSecretStore.KEY_ENV, "correct horse battery staple")).read("hubspot/x")).contains(TOKEN);
        assertThatThrownBy(() -> FileSecretStore.forProject(project, Map.of(FileSecretStore.KEY_ENV, "another key")).read("hubspot/x"))
                .hasMessageContaining("cannot decrypt secret 'hubspot/x'").hasMessageContaining(FileSecretStore.KEY_ENV)
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        FileSecretStore store = FileSecretStore.forProject(project, Map.of());
        store.write("a", "b");
        Path keyFile = project.resolve(".tributary/secret.key");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> FileSecretStore.forProject(project, Map.of()).read("a")).hasMessageContaining("chmod 600");
    }
}
