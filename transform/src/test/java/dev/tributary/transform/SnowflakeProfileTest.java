package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import dev.tributary.transform.dialect.Dialect.RelationKind;
import dev.tributary.transform.dialect.SnowflakeDialect;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** profiles.yml {@code type: snowflake} as dbt-snowflake's: URL, secrets kept out of it, mistakes named with their key. */
class SnowflakeProfileTest {
    @TempDir
    Path dir;

    private WarehouseTarget target(String output) {
        return Fixtures.profileTarget(dir, output);
    }

    @Test
    void passwordAndAccountMakeTheDriversUrl() throws Exception {
        WarehouseTarget t = target("type: snowflake\naccount: acme-eu1\nuser: loader\npassword: hunter2\nrole: transformer\nwarehouse: transforming\n"
                + "database: analytics\nschema: marts\nthreads: 8");
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:snowflake://acme-eu1.snowflakecomputing.com:443/?account=acme-eu1&db=analytics&schema=marts&warehouse=transforming&role=transformer");
        assertThat(t.password()).isEqualTo("hunter2");
        assertThat(t.toString()).doesNotContain("hunter2");
        assertThat(t.database()).isEqualTo("analytics");
        assertThat(t.schema()).isEqualTo("marts");
        assertThat(t.threads()).isEqualTo(8);
        assertThat(t.dialect()).isInstanceOf(SnowflakeDialect.class);
    }

    @Test
    void aKeyPairGoesByFileWithItsPassphraseAsTheSecret() throws Exception {
        Files.writeString(dir.resolve("rsa_key.p8"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n-----END ENCRYPTED PRIVATE KEY-----\n");
        WarehouseTarget t = target("type: snowflake\naccount: acme\nuser: loader\nprivate_key_path: rsa_key.p8\nprivate_key_passphrase: pass-phrase\n"
                + "database: db\nschema: s\nhost: 127.0.0.1\nport: 8085\nprotocol: http");
        assertThat(t.jdbcUrl()).startsWith("jdbc:snowflake://127.0.0.1:8085/?account=acme&db=db&schema=s&ssl=off&authenticator=SNOWFLAKE_JWT&private_key_file=")
                .contains("rsa_key.p8").doesNotContain("pass-phrase");
        assertThat(t.password()).isEqualTo("pass-phrase");
    }

    @Test
    void mistakesAreNamedWithTheirKey() {
        assertThatThrownBy(() -> target("type: snowflake\nuser: u\npassword: p\ndatabase: d\nschema: s")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("p.outputs.t.account").hasMessageContaining("missing account");
        assertThatThrownBy(() -> target("type: snowflake\naccount: a\nuser: u\ndatabase: d\nschema: s")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs password or private_key_path");
        assertThatThrownBy(() -> target("type: snowflake\naccount: a\nuser: u\npassword: p\nprivate_key_path: k.p8\ndatabase: d\nschema: s")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> target("type: snowflake\naccount: a\nuser: u\nprivate_key_path: missing.p8\ndatabase: d\nschema: s")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("private key file not found");
        assertThatThrownBy(() -> target("type: snowflake\naccount: a\nuser: u\npassword: p\ndatabase: d\nschema: s\nauthenticator: externalbrowser")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unsupported authenticator 'externalbrowser'");
        assertThatThrownBy(() -> target("type: snowflake\naccount: a\nuser: u\npassword: p\ndatabase: d\nschema: s\nport: https")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("port must be a number");
    }

    @Test
    void plainNamesAreWrittenAsSnowflakeResolvesThemUnquoted() {
        SnowflakeDialect d = new SnowflakeDialect();
        assertThat(d.relation("tributary", "analytics", "stg_contacts")).isEqualTo("\"TRIBUTARY\".\"ANALYTICS\".\"STG_CONTACTS\"");
        assertThat(d.quote("Company Name")).isEqualTo("\"Company Name\"");
        assertThat(d.quote("select")).isEqualTo("\"SELECT\"");
        assertThat(d.rename(RelationKind.TABLE, "analytics", "a__dbt_tmp", "a")).isEqualTo("alter table \"ANALYTICS\".\"A__DBT_TMP\" rename to \"ANALYTICS\".\"A\"");
        assertThat(d.createOrReplaceTable("\"S\".\"T\"", "select 1")).startsWith("create or replace transient table \"S\".\"T\" as (");
        assertThat(d.literal("a'b\\c")).isEqualTo("'a''b\\\\c'");
    }
}
