package dev.tributary.destination.snowflake;

import dev.tributary.destination.warehouse.Warehouse;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.ConnectorSpec.Setting;
import dev.tributary.spi.Destination;
import java.util.List;

/** The Snowflake warehouse ({@code type: snowflake}); settings in {@link SnowflakeSettings}. */
public final class SnowflakeDestination implements Destination {
    private static final ConnectorSpec SPEC = new ConnectorSpec("snowflake",
            "Snowflake warehouse: gzip CSV files PUT to a stage, COPY INTO the kit's staging table, insert or MERGE with rejects, reconciliation and the state in one transaction",
            List.of(new Setting("account", true, false, "account identifier, such as xy12345.eu-west-1 or myorg-myaccount"),
                    new Setting("user", true, false, "user name"),
                    new Setting("private_key", false, true, "PEM PKCS#8 private key of the user's key pair, such as ${SNOWFLAKE_PRIVATE_KEY} (preferred)"),
                    new Setting("private_key_file", false, false, "path of the PEM private key instead (an encrypted one takes its passphrase in password)"),
                    new Setting("password", false, true, "password, such as ${SNOWFLAKE_PASSWORD}, when there is no key pair; never printed"),
                    new Setting("role", false, false, "role to use"),
                    new Setting("warehouse", false, false, "virtual warehouse that runs the loads"),
                    new Setting("database", true, false, "database the schemas are created in"),
                    new Setting("schema_prefix", false, false, "written before each connection's schema name (and the metadata schema, TRIBUTARY)"),
                    new Setting("url", false, false, "jdbc:snowflake://host[:port]/[?ssl=off] instead of <account>.snowflakecomputing.com"),
                    new Setting("host", false, false, "host instead of <account>.snowflakecomputing.com (the sandbox: 127.0.0.1)"),
                    new Setting("port", false, false, "port with host (default 443, or 80 with protocol http)"),
                    new Setting("protocol", false, false, "https (default) or http (the sandbox)")),
            Warehouse.CAPABILITIES);

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public SnowflakeSession open(Config config) {
        return new SnowflakeSession(SnowflakeSettings.read(config));
    }
}
