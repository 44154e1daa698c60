package dev.tributary.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.sandbox.hubspot.data.PortalScale;
import org.junit.jupiter.api.Test;

class SandboxOptionsTest {
    @Test
    void parsesCommandLineFlags() {
        SandboxOptions o = SandboxOptions.fromArgs("--port", "8089", "--seed=7", "--scale", "contacts=100000,companies=123",
                "--portals", "3", "--rate-limit", "190", "--search-lag", "5", "--token-ttl", "60", "--error-rate", "0.01");
        assertThat(o.port()).isEqualTo(8089);
        assertThat(o.seed()).isEqualTo(7);
        assertThat(o.scale().contacts()).isEqualTo(100_000);
        assertThat(o.scale().companies()).isEqualTo(123);
        assertThat(o.scale().deals()).isEqualTo(20_000);
        assertThat(o.scale().bulkUpdateSize()).isEqualTo(12_000);
        assertThat(o.portals()).isEqualTo(3);
        assertThat(o.privateAppTenSecondLimit()).isEqualTo(190);
        assertThat(o.searchLagSeconds()).isEqualTo(5);
        assertThat(o.accessTokenTtlSeconds()).isEqualTo(60);
        assertThat(o.describe()).contains("100000 contacts").contains("190/10s");
    }

    @Test
    void rateLimitOffAndShorthandScale() {
        SandboxOptions o = SandboxOptions.fromArgs("--rate-limit", "off", "--scale", "1m");
        assertThat(o.rateLimitsEnabled()).isFalse();
        assertThat(o.scale().contacts()).isEqualTo(1_000_000);
        assertThat(o.describe()).contains("rate limits: off");
    }

    @Test
    void derivedRatiosAreDocumented() {
        PortalScale s = PortalScale.forContacts(100_000);
        assertThat(s.companies()).isEqualTo(5_000);
        assertThat(s.tickets()).isEqualTo(10_000);
        assertThat(s.lineItems()).isEqualTo(40_000);
        assertThat(s.subscriptions()).isEqualTo(10_000);
        assertThat(s.products()).isEqualTo(500);
        assertThat(s.owners()).isEqualTo(100);
    }

    @Test
    void rejectsUnknownFlagsAndKeys() {
        assertThatThrownBy(() -> SandboxOptions.fromArgs("--bogus", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxOptions.fromArgs("--scale", "widgets=5")).isInstanceOf(IllegalArgumentException.class);
    }
}
