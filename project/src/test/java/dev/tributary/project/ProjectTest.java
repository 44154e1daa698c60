package dev.tributary.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.engine.SyncResult;
import dev.tributary.engine.RunListener;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.WriteMode;
import dev.tributary.testkit.FakeSource;
import dev.tributary.testkit.RecordingDestination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectTest {
    @TempDir
    Path dir;

    private final FakeSource fake = new FakeSource();
    private final RecordingDestination recording = new RecordingDestination();
    private final Connectors connectors = new Connectors(List.of(fake), List.of(recording));

    private Project load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("tributary.yml"), yaml);
        return Project.load(dir, env, connectors);
    }

    @Test
    void loadsConnectionsStreamsAndSubstitutesVariables() throws IOException {
        Files.writeString(dir.resolve(".env"), "# secrets\nexport SCHEMA_NAME=\"crm\"\nWHERE=from-dotenv\n");
        Project p = load("""
                name: demo
                destination:
                  type: recording
                connections:
                  people:
                    type: fake
                    schema: ${SCHEMA_NAME}
                    on_error: reject
                    config:
                      note: "${WHERE} and ${MISSING:-fallback} and $${LITERAL}"
                    streams:
                      people: {write_mode: append, table: persons}
                settings:
                  max_parallel_streams: 3
                """, Map.of("WHERE", "from-env"));
        assertThat(p.name()).isEqualTo("demo");
        ConnectionSettings c = p.connection("people");
        assertThat(c.schema()).isEqualTo("crm");
        assertThat(c.onError()).isEqualTo(ErrorPolicy.REJECT);
        assertThat(c.config().string("note")).isEqualTo("from-env and fallback and ${LITERAL}");
        assertThat(c.streams().get("people").writeMode()).contains(WriteMode.APPEND);
        assertThat(p.syncOptions().maxParallelStreams()).isEqualTo(3);
    }

    @Test
    void unknownKeysAreErrorsWithLineAndSuggestion() {
        assertThatThrownBy(() -> load("""
                destination:
                  type: recording
                connections:
                  people:
                    type: fake
                    streams:
                      people:
                        write_mdoe: append
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tributary.yml:8: connections.people.streams.people.write_mdoe: unknown key (did you mean 'write_mode'?)");
        assertThatThrownBy(() -> load("destination: {type: recording}\nconectons: {}\n", Map.of()))
                .hasMessage("tributary.yml:2: conectons: unknown key (did you mean 'connections'?)");
    }

    @Test
    void connectorSettingsAreCheckedAgainstWhatTheConnectorDeclaresBeforeItIsUsed() {
        String yml = """
                destination:
                  type: recording
                  paht: x
                connections:
                  people:
                    type: fake
                    config:
                      nots: misspelled
                  orders:
                    type: fake
                    config: {note: fine}
                """;
        assertThatThrownBy(() -> load(yml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tributary.yml:3: destination.paht: unknown key; recording destination settings: label, type"
                        + " (and 1 more problem in the connector settings; 'tributary check' lists them all)");
        Project p = Project.loadWithoutConnectorValidation(dir, Map.of(), connectors);
        assertThat(p.connectorProblems()).extracting(Throwable::getMessage).containsExactly(
                "tributary.yml:3: destination.paht: unknown key; recording destination settings: label, type",
                "tributary.yml:8: connections.people.config.nots: unknown key (did you mean 'note'?); fake settings: note");
    }

    @Test
    void badValuesNameFileKeyAndLine() {
        assertThatThrownBy(() -> load("destination:\n  type: duckdbb\n", Map.of()))
                .hasMessageStartingWith("tributary.yml:2: destination.type: unknown destination type 'duckdbb'");
        assertThatThrownBy(() -> load("destination: {type: recording}\nconnections:\n  p:\n    type: fake\n    on_error: explode\n", Map.of()))
                .hasMessageStartingWith("tributary.yml:5: connections.p.on_error: unknown value 'explode'; expected one of fail, reject");
        assertThatThrownBy(() -> load("destination: {type: recording}\nconnections:\n  p:\n    type: fake\n    config: {x: \"${NOPE}\"}\n", Map.of()))
                .hasMessageContaining("tributary.yml:5").hasMessageContaining("environment variable NOPE is not set");
        assertThatThrownBy(() -> load("destination: [1\n", Map.of())).hasMessageStartingWith("tributary.yml:").hasMessageContaining("invalid YAML");
        assertThatThrownBy(() -> load("a: 1\na: 2\n", Map.of())).hasMessageContaining("invalid YAML").hasMessageContaining("duplicate key");
    }

    @Test
    void aMisspeltConnectionTypeIsNamedNotReportedAsMissing() {
        assertThatThrownBy(() -> load("destination: {type: recording}\nconnections:\n  p:\n    typ: fake\n", Map.of()))
                .hasMessage("tributary.yml:4: connections.p.typ: unknown key (did you mean 'type'?)");
    }

    @Test
    void missingProjectFileSaysWhatToDo() {
        assertThatThrownBy(() -> Project.load(dir.resolve("nowhere"), Map.of(), connectors))
                .hasMessageContaining("no tributary.yml").hasMessageContaining("tributary init");
    }

    @Test
    void theWorkspaceSecretStoreTakesItsKeyFromTheProjectsDotEnv() throws IOException {
        Files.writeString(dir.resolve(".env"), "TRIBUTARY_SECRET_KEY=a passphrase from dotenv\n");
        Project p = load("""
                destination: {type: recording}
                connections: {}
                """, Map.of());
        try (Workspace w = new Workspace(p, connectors)) {
            w.secrets().write("fake.token", "rotated-value");
        }
        assertThat(dir.resolve(".tributary/secret.key")).as("no generated key file when the key is configured").doesNotExist();
        assertThat(Files.readString(dir.resolve(".tributary/secrets"))).doesNotContain("rotated-value");
        assertThat(FileSecretStore.forProject(dir, Map.of("TRIBUTARY_SECRET_KEY", "a passphrase from dotenv")).read("fake.token")).contains("rotated-value");
    }

    @Test
    void planningChecksStreamNamesKeysAndModes() throws IOException {
        fake.stream("people").addNumbered(3);
        fake.stream("orders").addNumbered(3);
        Project p = load("""
                destination: {type: recording}
                connections:
                  shop:
                    type: fake
                    select: listed
                    streams:
                      people: {write_mode: merge, primary_key: [id, name]}
                """, Map.of());
        try (Workspace w = new Workspace(p, connectors)) {
            List<ConfiguredStream> plan = w.plan("shop", Set.of());
            assertThat(plan).singleElement().satisfies(s -> {
                assertThat(s.id().name()).isEqualTo("people");
                assertThat(s.primaryKey()).containsExactly("id", "name");
                assertThat(s.targetNamespace()).isEqualTo("shop");
            });
            assertThat(w.plan("shop", Set.of("orders"))).extracting(s -> s.id().name()).containsExactly("orders");
            assertThatThrownBy(() -> w.plan("shop", Set.of("order"))).hasMessageContaining("no stream 'order'").hasMessageContaining("did you mean 'orders'");
            assertThatThrownBy(() -> w.plan("shpo", Set.of())).hasMessageContaining("did you mean 'shop'");
            SyncResult result = w.sync("shop", Set.of(), false, RunListener.NONE);
            assertThat(result.ok()).isTrue();
            assertThat(recording.rows("shop.people")).hasSize(3);
        }
        Project bad = load("""
                destination: {type: recording}
                connections:
                  shop:
                    type: fake
                    streams:
                      peeple: {write_mode: append}
                      people: {primary_key: [idd]}
                """, Map.of());
        try (Workspace w = new Workspace(bad, connectors)) {
            assertThatThrownBy(() -> w.plan("shop", Set.of())).hasMessageStartingWith("tributary.yml:6: connections.shop.streams.peeple")
                    .hasMessageContaining("did you mean 'people'");
        }
    }

    @Test
    void writeModeDefaultsFollowTheChosenSyncModeAndOverwriteReadsEverything() throws IOException {
        fake.stream("people").addNumbered(2);
        fake.stream("orders").addNumbered(2);
        fake.stream("events").addNumbered(2);
        Project p = load("""
                destination: {type: recording}
                connections:
                  shop:
                    type: fake
                    streams:
                      people: {sync_mode: full_refresh, primary_key: []}
                      orders: {write_mode: overwrite, primary_key: []}
                      events: {primary_key: []}
                """, Map.of());
        try (Workspace w = new Workspace(p, connectors)) {
            Map<String, ConfiguredStream> plan = new java.util.HashMap<>();
            w.plan("shop", Set.of()).forEach(s -> plan.put(s.id().name(), s));
            assertThat(plan.get("people").writeMode()).as("full refresh without a key replaces").isEqualTo(WriteMode.OVERWRITE);
            assertThat(plan.get("orders").syncMode()).as("overwrite reads everything").isEqualTo(dev.tributary.spi.SyncMode.FULL_REFRESH);
            assertThat(plan.get("events").writeMode()).isEqualTo(WriteMode.APPEND);
        }
        Project bad = load("""
                destination: {type: recording}
                connections:
                  shop:
                    type: fake
                    streams:
                      people: {sync_mode: incremental, write_mode: overwrite}
                """, Map.of());
        try (Workspace w = new Workspace(bad, connectors)) {
            assertThatThrownBy(() -> w.plan("shop", Set.of())).hasMessageContaining("would replace the table with only what changed");
        }
    }

    @Test
    void twoStreamsWritingOneTableIsAnError() throws IOException {
        fake.stream("people").addNumbered(1);
        fake.stream("orders").addNumbered(1);
        Project p = load("""
                destination: {type: recording}
                connections:
                  shop:
                    type: fake
                    streams:
                      orders: {table: People}
                """, Map.of());
        try (Workspace w = new Workspace(p, connectors)) {
            assertThatThrownBy(() -> w.plan("shop", Set.of())).hasMessageContaining("would both write table");
        }
    }

    @Test
    void streamSettingsMayNameANamespacedStreamInFullOrByItsShortName() throws IOException {
        fake.stream("crm.people").addNumbered(1);
        fake.stream("crm.orders").addNumbered(1);
        fake.stream("billing.orders").addNumbered(1);
        Project p = load("""
                destination: {type: recording}
                connections:
                  shop:
                    type: fake
                    streams:
                      crm.orders: {table: crm_orders, primary_key: []}
                      billing.orders: {selected: false}
                      people: {write_mode: append}
                """, Map.of());
        try (Workspace w = new Workspace(p, connectors)) {
            Map<String, ConfiguredStream> plan = new java.util.HashMap<>();
            w.plan("shop", Set.of()).forEach(s -> plan.put(s.id().toString(), s));
            assertThat(plan).containsOnlyKeys("crm.orders", "crm.people");
            assertThat(plan.get("crm.orders").target()).isEqualTo("crm_orders");
            assertThat(plan.get("crm.people").writeMode()).isEqualTo(WriteMode.APPEND);
        }
        Project ambiguous = load("""
                destination: {type: recording}
                connections:
                  shop:
                    type: fake
                    streams:
                      orders: {write_mode: append}
                """, Map.of());
        try (Workspace w = new Workspace(ambiguous, connectors)) {
            assertThatThrownBy(() -> w.plan("shop", Set.of()))
                    .hasMessageContaining("several streams are called 'orders' (billing.orders, crm.orders); name one in full");
        }
    }

    @Test
    void extensionKeysHoldAnchorsThatSwitchTheDestinationInOneLine() throws IOException {
        Project p = load("""
                x-warehouses:
                  local: &local {type: recording, label: "${LABEL:-local}"}
                  other: &other {type: recording, label: other}
                destination: *local
                connections:
                  shop: {type: fake}
                """, Map.of("LABEL", "from-env"));
        assertThat(p.destinationType()).isEqualTo("recording");
        assertThat(p.destinationConfig().string("label")).isEqualTo("from-env");
        assertThatThrownBy(() -> load("""
                warehouses: {local: {type: recording}}
                destination: {type: recording}
                connections: {}
                """, Map.of())).hasMessageContaining("warehouses");
    }
}
