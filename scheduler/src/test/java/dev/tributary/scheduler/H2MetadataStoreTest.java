package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2MetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path dir;

    @Override
    MetadataStore open() {
        return JdbcMetadataStore.h2(dir.resolve("metadata"));
    }

    @Override
    MetadataStore reopen() {
        return open();
    }

    @Test
    void embeddedIsTheDefaultUnderTheProjectFolder() throws Exception {
        store.close();
        Path project = dir.resolve("project");
        Config server = Config.of(new ObjectMapper().readTree("{\"metadata\": {\"type\": \"embedded\"}}"));
        store = MetadataStores.open(server, project);
        assertThat(store.toString()).contains(project.resolve(".tributary").resolve("metadata").toString());
        assertThat(Files.exists(project.resolve(".tributary/metadata/metadata.mv.db"))).isTrue();
    }

    @Test
    void serverSectionMistakesAreConfigErrors() throws Exception {
        Config typo = Config.of(new ObjectMapper().readTree("{\"metadata\": {\"urll\": \"jdbc:postgresql://x/y\"}}"));
        assertThatThrownBy(() -> MetadataStores.open(typo, dir)).isInstanceOf(ConfigException.class).hasMessageContaining("did you mean 'url'");
        Config noUrl = Config.of(new ObjectMapper().readTree("{\"metadata\": {\"type\": \"postgres\"}}"));
        assertThatThrownBy(() -> MetadataStores.open(noUrl, dir)).isInstanceOf(ConfigException.class).hasMessageContaining("url: is required");
        Config mongo = Config.of(new ObjectMapper().readTree("{\"metadata\": {\"type\": \"mongo\"}}"));
        assertThatThrownBy(() -> MetadataStores.open(mongo, dir)).isInstanceOf(ConfigException.class).hasMessageContaining("unknown store type");
        Config mysql = Config.of(new ObjectMapper().readTree("{\"metadata\": {\"url\": \"jdbc:mysql://x/y\"}}"));
        assertThatThrownBy(() -> MetadataStores.open(mysql, dir)).isInstanceOf(ConfigException.class).hasMessageContaining("PostgreSQL");
    }

    @Test
    void twoProcessesWritingTheFileAtOnceBothGetIn() throws Exception {
        // two CLI commands at once (a cron sync and a build): each opens the file for a moment; H2 answers the one that
        // comes second with "Lock file recently modified" (8000) or "already in use" (90020), and it must wait, not lose its run.
        // Waiting out H2's refusals was not enough: each costs up to ~4 s, so on a slow machine one process starved past
        // its deadline (CI, 2026-12-06). CLI processes take turns at the file instead: H2 never refuses either of them.
        store.close();
        Path folder = dir.resolve("busy");
        int each = 15;
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), H2ClientLoop.class.getName(),
                folder.toString(), String.valueOf(each)).redirectErrorStream(true).start();
        long refusedBefore = JdbcMetadataStore.fileRefusals.get();
        H2ClientLoop.main(new String[] {folder.toString(), String.valueOf(each)});
        String output = new String(other.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(other.waitFor()).as(output).isZero();
        assertThat(output).contains("done, refused 0 times");
        assertThat(JdbcMetadataStore.fileRefusals.get() - refusedBefore).as("H2 refusals in this process").isZero();
        try (JdbcMetadataStore check = JdbcMetadataStore.h2Client(folder)) {
            assertThat(check.runs(RunQuery.latest(1000))).hasSize(2 * each);
        }
        store = open();
    }

    @Test
    void aSecondServeOnTheStoreIsRefusedNamingTheFirst() throws Exception {
        // before: "unexpected error: MetadataStoreException: ... Database may be already in use ... use the server mode" (exit 3)
        Path folder = dir.resolve("served");
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process first = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), H2SharedHolder.class.getName(),
                folder.toString()).redirectErrorStream(true).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(first.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("holding");
            assertThatThrownBy(() -> JdbcMetadataStore.h2Shared(folder).close())
                    .isInstanceOf(MetadataStoreInUseException.class)
                    .hasMessageContaining("another tributary serve is running on this project")
                    .hasMessageContaining(folder.toString())
                    .hasMessageContaining("server.metadata.url");
            // a killed serve's published file does not keep the next one out
            first.getOutputStream().close();
            assertThat(first.waitFor()).isZero();
            java.nio.file.Files.writeString(folder.resolve(JdbcMetadataStore.SHARED_FILE), "port=1\nkey=abc\n");
            try (JdbcMetadataStore next = JdbcMetadataStore.h2Shared(folder)) {
                assertThat(next.liveRuns()).isEmpty();
            }
        } finally {
            first.destroyForcibly();
        }
    }

    @Test
    void aSharedStoreWhoseKeyCannotBeWrittenLeavesNoServerOpen() throws Exception {
        Path folder = dir.resolve("shared");
        // the key file's temporary name is taken by a folder with something in it: writing the key fails after the start
        Files.createDirectories(folder.resolve(JdbcMetadataStore.SHARED_FILE + ".tmp").resolve("blocker"));
        long before = h2TcpServerThreads();
        try (JdbcMetadataStore store = JdbcMetadataStore.h2Shared(folder)) {
            assertThat(Files.exists(folder.resolve(JdbcMetadataStore.SHARED_FILE))).isFalse();
            // before the fix the TCP server kept listening (with a key nobody knows) until the JVM ended
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (h2TcpServerThreads() > before && System.nanoTime() < deadline) Thread.onSpinWait();
            assertThat(h2TcpServerThreads()).isEqualTo(before);
            assertThat(store.liveRuns()).isEmpty(); // the store itself still works
        }
    }

    private static long h2TcpServerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("H2 TCP Server")).count();
    }
}
