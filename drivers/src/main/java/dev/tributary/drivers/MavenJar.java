package dev.tributary.drivers;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A jar on a Maven repository, and the SHA-256 it must have.
 *
 * @param group e.g. {@code net.snowflake}
 * @param artifact e.g. {@code snowflake-jdbc}
 * @param version e.g. {@code 4.4.1}
 * @param sha256 the jar's SHA-256 in hex, checked on every download (the repository's SHA-1 is checked too); null
 *     trusts the repository's SHA-1 alone
 */
public record MavenJar(String group, String artifact, String version, String sha256) {
    public MavenJar {
        requireNonNull(group, "group is null");
        requireNonNull(artifact, "artifact is null");
        requireNonNull(version, "version is null");
        if (sha256 != null) {
            sha256 = sha256.toLowerCase(Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("sha256 of " + group + ":" + artifact + " is not 64 hex digits: " + sha256);
        }
    }

    /** Where the jar is in a repository: {@code net/snowflake/snowflake-jdbc/4.4.1/snowflake-jdbc-4.4.1.jar}. */
    public String path() {
        return group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-" + version + ".jar";
    }

    @Override
    public String toString() {
        return group + ":" + artifact + ":" + version;
    }
}
