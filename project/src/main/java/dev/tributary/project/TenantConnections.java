package dev.tributary.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import java.util.List;

/**
 * Multi-tenant connections: a connection with {@code multi_tenant: true} is a template that the project's app
 * ({@code app:}) expands to one logical connection per installed account. Each tenant's copy has its own name
 * ({@code <connection>_<hub_id>}, so its own sync state), its own schema ({@code <schema>_<hub_id>}, so its own
 * tables) and its own credentials (the app's client and the tenant's refresh token); its rows carry
 * {@link TenantColumnSource#COLUMN}.
 */
public final class TenantConnections {
    /** The settings that come from the app and the install, never from the template. */
    static final List<String> CREDENTIAL_KEYS = List.of("access_token", "client_id", "client_secret", "refresh_token");
    /** Stand-ins that let the connector check the template's other settings; never sent anywhere. */
    private static final String PLACEHOLDER = "from-the-app-and-each-install";

    private TenantConnections() {}

    /** Checks a template as written and fills its credentials with stand-ins so its other settings can be validated. */
    static void prepareTemplate(String name, String type, Config connection, YamlDocument doc) {
        if (!type.equals("hubspot")) {
            throw connection.error("multi_tenant", "applies to hubspot connections (the installable HubSpot app of the app: section), not to " + type);
        }
        if (!doc.root().path("app").isObject()) {
            throw connection.error("multi_tenant", "needs the app: section (client_id, client_secret, scopes, redirect_url) whose installs are the tenants");
        }
        JsonNode config = doc.root().path("connections").path(name).path("config");
        Config settings = Config.of(config, connection.path() + ".config", doc::locate);
        for (String key : CREDENTIAL_KEYS) {
            if (config.has(key)) {
                throw settings.error(key, "a multi_tenant connection takes its credentials from the app: section and each tenant's install; remove " + key);
            }
        }
        ObjectNode node = config.isObject() ? (ObjectNode) config : ((ObjectNode) doc.root().path("connections").path(name)).putObject("config");
        node.put("client_id", PLACEHOLDER).put("client_secret", PLACEHOLDER).put("refresh_token", PLACEHOLDER);
    }

    /** The connection name of one tenant: its own sync state. */
    public static String tenantConnectionName(String template, long hubId) {
        return template + "_" + hubId;
    }

    /**
     * One tenant's logical connection: the template's settings with the app's client, the tenant's refresh token and,
     * when the template names no {@code base_url}, the app's API URL.
     */
    public static ConnectionSettings forTenant(ConnectionSettings template, long hubId, String clientId, String clientSecret, String refreshToken,
                                               String apiUrl) {
        if (!template.multiTenant()) throw new IllegalArgumentException("connection " + template.name() + " is not multi_tenant");
        ObjectNode config = ((ObjectNode) template.config().json()).deepCopy();
        config.put("client_id", clientId).put("client_secret", clientSecret).put("refresh_token", refreshToken);
        if (!config.has("base_url")) config.put("base_url", apiUrl);
        String name = tenantConnectionName(template.name(), hubId);
        return new ConnectionSettings(name, template.type(), Config.of(config, "connections." + template.name() + ".config", p -> template.location()),
                template.schema() + "_" + hubId, template.selectAll(), template.onError(), template.streams(), template.location(), false);
    }
}
