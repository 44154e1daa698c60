package dev.tributary.source.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.project.FileSecretStore;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotated refresh token (the sandbox invalidates the old one on every refresh) is stored encrypted in the
 * project's secret store and used by the next run; a refresh token the user configures afterwards wins.
 */
class HubspotTokenRotationTest {
    @TempDir
    Path project;
    private HubSpotSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private ObjectNode oauthSettings(String refreshToken) {
        ObjectNode o = SandboxSupport.JSON.createObjectNode();
        o.put("client_id", sandbox.oauthClientId());
        o.put("client_secret", sandbox.oauthClientSecret());
        o.put("refresh_token", refreshToken);
        o.put("base_url", sandbox.baseUrl());
        o.putArray("streams").add("owners");
        return o;
    }

    /** One run of a fresh process: a new source (so a new account client) with the project's store opened anew. */
    private int run(ObjectNode settings) {
        HubspotSource source = SandboxSupport.source(sandbox);
        source.useSecrets(FileSecretStore.forProject(project, Map.of()));
        Config config = SandboxSupport.config(settings);
        ConfiguredStream owners = SandboxSupport.stream(source, config, "owners", SyncMode.FULL_REFRESH);
        return SandboxSupport.read(source, SandboxSupport.config(settings), owners, Optional.empty()).records().size();
    }

    @Test
    void aRotatedRefreshTokenIsStoredEncryptedAndUsedNextRunUnlessTheConfiguredOneChanged() throws Exception {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(500).build());
        String configured = SandboxSupport.refreshToken(sandbox);
        sandbox.control().rotateRefreshTokens(true);

        assertThat(run(oauthSettings(configured))).isPositive();
        Path secrets = project.resolve(".tributary/secrets");
        assertThat(secrets).exists();
        String onDisk = Files.readString(secrets);
        assertThat(onDisk).as("no token in clear").doesNotContain("na1-").doesNotContain(configured);

        // The configured token no longer works at HubSpot: only the stored, rotated one lets a new run in.
        assertThat(run(oauthSettings(configured))).isPositive();
        assertThat(Files.readString(secrets)).as("rotated again and stored again").isNotEqualTo(onDisk).doesNotContain("na1-");

        // Without the store, the configured (rotated-away) token fails: the store really is what made the run work.
        HubspotSource forgetful = SandboxSupport.source(sandbox);
        Config config = SandboxSupport.config(oauthSettings(configured));
        assertThatThrownBy(() -> SandboxSupport.stream(forgetful, config, "owners", SyncMode.FULL_REFRESH))
                .hasMessageContaining("400").hasMessageNotContaining(configured);

        // The user installs again and configures the new token: it wins over the stored one (now revoked).
        sandbox.control().revokeRefreshTokens();
        String reinstalled = SandboxSupport.refreshToken(sandbox);
        assertThat(run(oauthSettings(reinstalled))).isPositive();
    }
}
