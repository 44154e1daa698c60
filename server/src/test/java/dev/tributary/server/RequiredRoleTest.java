package dev.tributary.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which role each kind of request needs: reading is a viewer's, acting an operator's, people, settings and data removal an admin's. */
class RequiredRoleTest {
    @Test
    void readingNeedsAViewerActingAnOperator() {
        assertThat(TributaryServer.requiredRole("/runs/3", false)).isEqualTo(Role.VIEWER);
        assertThat(TributaryServer.requiredRole("/pipelines/revops/trigger", true)).isEqualTo(Role.OPERATOR);
        assertThat(TributaryServer.requiredRole("/tenants/42/pause", true)).isEqualTo(Role.OPERATOR);
        assertThat(TributaryServer.requiredRole("/api/v1/tenants/42/uninstall", true)).isEqualTo(Role.OPERATOR);
        assertThat(TributaryServer.requiredRole("/logout", true)).isEqualTo(Role.VIEWER);
    }

    @Test
    void peopleSettingsAndRemovingATenantWithItsDataNeedAnAdmin() {
        assertThat(TributaryServer.requiredRole("/settings/users", false)).isEqualTo(Role.ADMIN);
        assertThat(TributaryServer.requiredRole("/api/v1/audit", false)).isEqualTo(Role.ADMIN);
        assertThat(TributaryServer.requiredRole("/tenants/42/remove", true)).isEqualTo(Role.ADMIN);
        assertThat(TributaryServer.requiredRole("/api/v1/tenants/42", true)).as("DELETE removes the tenant with its data").isEqualTo(Role.ADMIN);
        assertThat(TributaryServer.requiredRole("/api/v1/tenants/42", false)).isEqualTo(Role.VIEWER);
        assertThat(TributaryServer.requiredRole("/tenants/42", false)).isEqualTo(Role.VIEWER);
    }
}
