package dev.tributary.spi;

/**
 * A configuration error that says where it is: {@code tributary.yml:14: connections.leads.format: ...}.
 */
public class ConfigException extends RuntimeException {
    private final String location;
    private final String path;

    public ConfigException(String location, String path, String problem) {
        super(format(location, path, problem));
        this.location = location;
        this.path = path;
    }

    private static String format(String location, String path, String problem) {
        StringBuilder sb = new StringBuilder();
        if (location != null && !location.isEmpty()) sb.append(location).append(": ");
        if (path != null && !path.isEmpty()) sb.append(path).append(": ");
        return sb.append(problem).toString();
    }

    /** File and line, such as {@code tributary.yml:14}; empty when unknown. */
    public String location() {
        return location == null ? "" : location;
    }

    /** The dotted key path, such as {@code connections.leads.config.format}. */
    public String path() {
        return path == null ? "" : path;
    }
}
