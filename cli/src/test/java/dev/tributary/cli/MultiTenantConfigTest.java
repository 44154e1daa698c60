package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app: section and multi_tenant connections as check and sync see them: errors name file, key and line. */
class MultiTenantConfigTest {
    private static final String APP = """
            app:
              client_id: my-app
              client_secret: ${APP_SECRET}
              scopes: [oauth, crm.objects.contacts.read]
              redirect_url: http://127.0.0.1:8080/oauth/callback
            """;

    @TempDir
    Path dir;

    private CliRunner.Result run(String yaml, String... args) throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), "destination: {type: duckdb}\n" + yaml);
        return new CliRunner(dir, Map.of("APP_SECRET", "s3cret-value")).run(args);
    }

    @Test
    void aValidAppAndTemplatePassCheckAndSyncSkipsTheTemplate() throws Exception {
        String yaml = APP + """
                connections:
                  crm:
                    type: hubspot
                    multi_tenant: true
                    config: {streams: [contacts]}
                """;
        CliRunner.Result check = run(yaml, "check");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("ok      app: client my-app, 2 scopes").contains("connection crm: multi_tenant")
                .doesNotContain("s3cret-value");
        CliRunner.Result sync = run(yaml, "sync");
        assertThat(sync.err()).contains("skipping crm: multi_tenant, synced per tenant by 'tributary serve'");
        CliRunner.Result named = run(yaml, "sync", "crm");
        assertThat(named.exitCode()).isEqualTo(2);
        assertThat(named.err()).contains("crm is multi_tenant");
    }

    @Test
    void mistakesNameFileKeyAndLine() throws Exception {
        CliRunner.Result noApp = run("""
                connections:
                  crm:
                    type: hubspot
                    multi_tenant: true
                """, "check");
        assertThat(noApp.exitCode()).isEqualTo(2);
        assertThat(noApp.err()).contains("tributary.yml:5").contains("multi_tenant").contains("needs the app: section");

        CliRunner.Result credentials = run(APP + """
                connections:
                  crm:
                    type: hubspot
                    multi_tenant: true
                    config: {access_token: pat-na1-x}
                """, "check");
        assertThat(credentials.exitCode()).isEqualTo(2);
        assertThat(credentials.err()).contains("connections.crm.config.access_token").contains("takes its credentials from the app");

        CliRunner.Result unknown = run(APP.replace("  scopes:", "  scope: [oauth]\n  scopes:"), "check");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("tributary.yml:5").contains("app.scope").contains("did you mean");

        CliRunner.Result files = run(APP + """
                connections:
                  sheet:
                    type: files
                    multi_tenant: true
                """, "check");
        assertThat(files.exitCode()).isEqualTo(2);
        assertThat(files.err()).contains("applies to hubspot connections");
    }

    @Test
    void anInlineClientSecretIsAnErrorNamingFileAndLine() throws Exception {
        CliRunner.Result inline = run(APP.replace("${APP_SECRET}", "plain-secret-value"), "check");
        assertThat(inline.exitCode()).as(inline.toString()).isEqualTo(2);
        assertThat(inline.err()).contains("tributary.yml:4").contains("app.client_secret").contains("${").doesNotContain("plain-secret-value");
        // a default written in the file is inline too
        CliRunner.Result fallback = run(APP.replace("${APP_SECRET}", "${NOT_SET_ANYWHERE:-plain-secret-value}"), "check");
        assertThat(fallback.exitCode()).as(fallback.toString()).isEqualTo(2);
        assertThat(fallback.err()).contains("tributary.yml:4").contains("app.client_secret").doesNotContain("plain-secret-value");
    }
}
