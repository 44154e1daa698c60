package dev.tributary.source.xero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.Sleeper;
import dev.tributary.project.FileSecretStore;
import dev.tributary.sandbox.xero.XeroSandbox;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import dev.tributary.spi.Config;
import dev.tributary.spi.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotating refresh tokens in the project's encrypted secret store, a lost refresh answer, re-consent, custom connections. */
class XeroTokensTest {
    @TempDir
    Path project;
    XeroSandbox sandbox;
    FileSecretStore store;

    @BeforeEach
    void start() {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(2).invoicesPerTenant(100)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        store = FileSecretStore.forProject(project, Map.of());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    /** A source as a new process would make it: its own client, token state and budget (a new clock object). */
    private XeroSource newProcess() {
        Sleeper advance = d -> sandbox.control().advanceClock(d);
        XeroSource source = new XeroSource(XeroSupport.clockOf(sandbox), advance);
        source.useSecrets(store);
        return source;
    }

    private int readOrganisations(XeroSource source, Config config) {
        return XeroSupport.read(source, config, XeroSupport.stream(source, config, "organisations", SyncMode.FULL_REFRESH), Optional.empty())
                .records().size();
    }

    private long tokenCalls() {
        return sandbox.control().counters().entrySet().stream().filter(e -> e.getKey().startsWith("POST /connect/token"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Test
    void theRotatedTokenIsStoredEncryptedAndTheNextProcessStartsFromIt() throws Exception {
        ObjectNode settings = XeroSupport.settings(sandbox);
        String configured = settings.get("refresh_token").asText();
        Config config = XeroSupport.config(settings);
        assertThat(readOrganisations(newProcess(), config)).isEqualTo(2);
        Path secrets = project.resolve(".tributary/secrets");
        assertThat(secrets).exists();
        assertThat(Files.readString(secrets)).doesNotContain(configured).contains("aes256gcm:");
        // past the grace period the configured token is dead: only the stored successor can connect
        sandbox.control().advanceClock(Duration.ofMinutes(45));
        sandbox.control().expireAccessTokens();
        assertThat(readOrganisations(newProcess(), config)).isEqualTo(2);
        sandbox.control().advanceClock(Duration.ofMinutes(45));
        sandbox.control().expireAccessTokens();
        assertThat(readOrganisations(newProcess(), config)).as("rotated again, stored again").isEqualTo(2);
    }

    @Test
    void aRefreshWhoseAnswerWasLostIsRecoveredInsideTheGracePeriod() {
        Config config = XeroSupport.config(XeroSupport.settings(sandbox));
        sandbox.control().loseTokenAnswers(1);
        assertThat(readOrganisations(newProcess(), config)).isEqualTo(2);
        assertThat(sandbox.control().counters()).containsKey("POST /connect/token (answer lost) 200");
        sandbox.control().advanceClock(Duration.ofMinutes(45));
        sandbox.control().expireAccessTokens();
        assertThat(readOrganisations(newProcess(), config)).as("the recovered successor was stored").isEqualTo(2);
    }

    @Test
    void aRefusedTokenMarksTheConnectionForReconsentWithoutALoopOfFailures() {
        ObjectNode settings = XeroSupport.settings(sandbox);
        Config config = XeroSupport.config(settings);
        assertThat(readOrganisations(newProcess(), config)).isEqualTo(2);
        sandbox.control().revokeAllGrants();
        sandbox.control().expireAccessTokens();
        assertThatThrownBy(() -> readOrganisations(newProcess(), config))
                .hasMessageContaining("needs re-consent").hasMessageContaining("refresh_token").hasMessageNotContaining(settings.get("refresh_token").asText());
        long calls = tokenCalls();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> readOrganisations(newProcess(), config)).hasMessageContaining("needs re-consent");
        }
        assertThat(tokenCalls()).as("later runs stop at once, without asking Xero again").isEqualTo(calls);
        // a new consent, configured by the user, works again
        ObjectNode again = XeroSupport.settings(sandbox);
        assertThat(readOrganisations(newProcess(), XeroSupport.config(again))).isEqualTo(2);
    }

    @Test
    void aLongRunningProcessRefreshesWithTheSuccessorAnotherProcessStored() {
        ObjectNode settings = XeroSupport.settings(sandbox);
        Config config = XeroSupport.config(settings);
        XeroSource server = newProcess(); // lives on, its client (and token state) cached for the process
        assertThat(readOrganisations(server, config)).isEqualTo(2);
        // a CLI sync next to it rotates the stored token again
        assertThat(readOrganisations(newProcess(), config)).isEqualTo(2);
        // past the grace period the token the server last saw is used up
        sandbox.control().advanceClock(Duration.ofMinutes(45));
        sandbox.control().expireAccessTokens();
        assertThat(readOrganisations(server, config)).as("the server refreshes with the stored successor, not its stale token").isEqualTo(2);
        sandbox.control().advanceClock(Duration.ofMinutes(45));
        sandbox.control().expireAccessTokens();
        assertThat(readOrganisations(newProcess(), config)).as("the connection was not marked for re-consent").isEqualTo(2);
        assertThat(sandbox.control().counters()).noneSatisfy((k, v) -> assertThat(k).startsWith("POST /connect/token").contains("400"));
    }

    @Test
    void aRefreshRefusedBecauseAnotherProcessRotatedMeanwhileIsRetriedWithTheStoredSuccessor() {
        Config config = XeroSupport.config(XeroSupport.settings(sandbox));
        // the store as the server process sees it: right after the server read its token, a CLI sync rotates it and the
        // old token's grace period runs out before the server's refresh reaches Xero
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        dev.tributary.spi.SecretStore racing = new dev.tributary.spi.SecretStore() {
            @Override
            public Optional<String> read(String name) {
                Optional<String> v = store.read(name);
                if (armed.getAndSet(false)) {
                    assertThat(readOrganisations(newProcess(), config)).isEqualTo(2);
                    sandbox.control().advanceClock(Duration.ofMinutes(45));
                }
                return v;
            }

            @Override
            public void write(String name, String value) {
                store.write(name, value);
            }

            @Override
            public String toString() {
                return store.toString();
            }
        };
        Sleeper advance = d -> sandbox.control().advanceClock(d);
        XeroSource server = new XeroSource(XeroSupport.clockOf(sandbox), advance);
        server.useSecrets(racing);
        assertThat(readOrganisations(server, config)).isEqualTo(2);
        sandbox.control().advanceClock(Duration.ofMinutes(45));
        sandbox.control().expireAccessTokens();
        armed.set(true);
        assertThat(readOrganisations(server, config)).as("refused once, then retried with the CLI's stored successor").isEqualTo(2);
        assertThat(armed).isFalse();
        assertThat(sandbox.control().counters()).anySatisfy((k, v) -> assertThat(k).startsWith("POST /connect/token").contains("400"));
        sandbox.control().advanceClock(Duration.ofMinutes(45));
        sandbox.control().expireAccessTokens();
        assertThat(readOrganisations(newProcess(), config)).as("the connection was not marked for re-consent").isEqualTo(2);
    }

    @Test
    void twoConnectionsOfOneAppKeepTheirOwnRotatedTokens() {
        Config a = Config.of(XeroSupport.settings(sandbox), "connections.xero_a.config", p -> "");
        Config b = Config.of(XeroSupport.settings(sandbox), "connections.xero_b.config", p -> "");
        assertThat(readOrganisations(newProcess(), a)).isEqualTo(2);
        assertThat(readOrganisations(newProcess(), b)).isEqualTo(2);
        sandbox.control().advanceClock(Duration.ofMinutes(45));
        sandbox.control().expireAccessTokens();
        assertThat(readOrganisations(newProcess(), a)).as("a's successor was not overwritten by b's").isEqualTo(2);
        assertThat(readOrganisations(newProcess(), b)).isEqualTo(2);
        assertThat(store.read("xero/oauth/xero_a/" + XeroConfig.from(a).fingerprint())).isPresent();
        assertThat(store.read("xero/oauth/xero_b/" + XeroConfig.from(b).fingerprint())).isPresent();
    }

    @Test
    void aTokenStoredUnderTheOldNameIsPickedUpOnce() {
        ObjectNode settings = XeroSupport.settings(sandbox);
        assertThat(readOrganisations(newProcess(), XeroSupport.config(settings))).isEqualTo(2); // stored under xero/oauth/<fingerprint>
        sandbox.control().advanceClock(Duration.ofMinutes(45));
        sandbox.control().expireAccessTokens();
        Config named = Config.of(settings.deepCopy(), "connections.xero.config", p -> "");
        assertThat(readOrganisations(newProcess(), named)).as("the old name's successor is used").isEqualTo(2);
        assertThat(store.read("xero/oauth/xero/" + XeroConfig.from(named).fingerprint())).as("and stored under the new name").isPresent();
    }

    @Test
    void aCustomConnectionReadsItsOneOrganisationWithClientCredentials() {
        ObjectNode settings = XeroSupport.JSON.createObjectNode();
        settings.put("client_id", sandbox.customClientId());
        settings.put("client_secret", sandbox.customClientSecret());
        settings.put("grant_type", "client_credentials");
        settings.put("base_url", sandbox.baseUrl());
        Config config = XeroSupport.config(settings);
        XeroSource source = newProcess();
        assertThat(source.check(config).ok()).isTrue();
        var read = XeroSupport.read(source, config, XeroSupport.stream(source, config, "invoices", SyncMode.INCREMENTAL), Optional.empty());
        assertThat(read.records()).hasSize(100).allMatch(r -> r.value(0).equals(sandbox.tenantIds().get(0)));
        settings.put("client_secret", "wrong");
        assertThat(newProcess().check(XeroSupport.config(settings)).message()).contains("client credentials");
    }
}
