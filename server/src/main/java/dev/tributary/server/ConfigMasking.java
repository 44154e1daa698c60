package dev.tributary.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * tributary.yml as /settings/config shows it: every value that comes from the environment ({@code ${VAR}}, with or
 * without a default, since the default may be a secret too) is replaced by the names of its variables, every value of
 * a key named like a password, secret, token, credential or key is masked, and passwords inside URLs
 * ({@code user:pass@host}, {@code ?password=}) are masked in every other value. Masking works on the file before
 * substitution, so no substituted secret can ever reach the page.
 */
final class ConfigMasking {
    static final String MASK = "••••••";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|passwd|pwd|secret|token|credential|private|api[_-]?key|access[_-]?key|(^|[_-])key)$|(?i)^key$");
    private static final Set<String> PLAIN_KEYS = Set.of("primary_key", "unique_key", "merge_key", "partition_key", "sort_key", "cluster_key",
            "cursor_key", "tenant_key", "key_column", "key_columns");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)([^@/\\s]+)(@)");
    private static final Pattern QUERY_SECRET = Pattern.compile("(?i)([?&;](?:password|pwd|secret|token|access_token|api_key|apikey|sig|signature)=)([^&;\\s]+)");

    private static final Pattern WEBHOOK_URL = Pattern.compile("(?i)(https?://[^/?#\\s]+)[/?#].*");

    private ConfigMasking() {}

    private static boolean isWebhookKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.equals("webhooks") || k.equals("webhook") || k.endsWith("_webhook") || k.endsWith("webhook_url");
    }

    /** The masked YAML of {@code text}; an error message (never the text) when it does not parse. */
    static String mask(String text) {
        LoaderOptions loading = new LoaderOptions();
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(200);
        options.setSplitLines(false);
        Yaml yaml = new Yaml(new SafeConstructor(loading), new Representer(options), options, loading, new AsWritten());
        return yaml.dump(mask(null, yaml.load(text), false));
    }

    /**
     * Every scalar but null is the text written: YAML 1.1 read the key {@code on:} of {@code alerts} as {@code true:},
     * {@code no} as false, a date as a timestamp and {@code 12:30} as 750 (what the page showed, not the file).
     */
    private static final class AsWritten extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }

    /** {@code webhook}: under a webhooks key, where a URL's path and query are its token (Slack, Teams). */
    static Object mask(String key, Object value, boolean webhook) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, mask(String.valueOf(k), v, webhook || isWebhookKey(String.valueOf(k)))));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object v : list) out.add(mask(key, v, webhook));
            return out;
        }
        if (value == null) return null;
        String s = String.valueOf(value);
        Set<String> variables = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(s);
        while (m.find()) variables.add("${" + m.group(1) + "}");
        if (!variables.isEmpty()) return MASK + " from " + String.join(", ", variables);
        if (key != null && isSecretKey(key)) return MASK;
        if (!(value instanceof String)) return value;
        Matcher hook = WEBHOOK_URL.matcher(s);
        if (webhook && hook.matches()) return hook.group(1) + "/" + MASK;
        String masked = URL_PASSWORD.matcher(s).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK + r.group(3)));
        return QUERY_SECRET.matcher(masked).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
    }

    static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return !PLAIN_KEYS.contains(k) && SECRET_KEY.matcher(k).matches();
    }
}
