package dev.tributary.exports;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How to reach S3 or an S3-compatible store: endpoint (empty: AWS), region, path-style addressing, and credentials
 * (empty: the SDK's default chain, i.e. AWS profile, container or instance credentials). The secret is never printed.
 */
public record S3Settings(Optional<URI> endpoint, String region, boolean pathStyle, Optional<String> accessKeyId, Optional<String> secretAccessKey,
                         Optional<String> sessionToken) {
    public S3Settings {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        requireNonNull(sessionToken, "sessionToken is null");
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together: only " + (accessKeyId.isPresent() ? "the key id" : "the secret") + " is set");
        }
    }

    /**
     * Settings from the variables the AWS tools read (the environment, then the project's .env, as {@code variables}
     * finds them): AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION / AWS_DEFAULT_REGION (default us-east-1),
     * AWS_S3_PATH_STYLE ({@code true} when an endpoint is set and it is unset), AWS_ACCESS_KEY_ID,
     * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; the explicit arguments (null: not given) win.
     */
    public static S3Settings from(Function<String, Optional<String>> variables, String endpoint, String region, Boolean pathStyle) {
        Optional<URI> uri = Optional.ofNullable(endpoint).or(() -> variables.apply("AWS_ENDPOINT_URL_S3")).or(() -> variables.apply("AWS_ENDPOINT_URL"))
                .filter(s -> !s.isBlank()).map(String::trim).map(URI::create);
        String r = Optional.ofNullable(region).or(() -> variables.apply("AWS_REGION")).or(() -> variables.apply("AWS_DEFAULT_REGION"))
                .filter(s -> !s.isBlank()).orElse("us-east-1");
        boolean path = pathStyle != null ? pathStyle
                : variables.apply("AWS_S3_PATH_STYLE").map(v -> Boolean.parseBoolean(v.trim())).orElse(uri.isPresent());
        return new S3Settings(uri, r, path, variables.apply("AWS_ACCESS_KEY_ID").filter(s -> !s.isBlank()),
                variables.apply("AWS_SECRET_ACCESS_KEY").filter(s -> !s.isBlank()), variables.apply("AWS_SESSION_TOKEN").filter(s -> !s.isBlank()));
    }

    /** A client for these settings; the caller closes it. */
    public S3Client client() {
        var builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(region)).forcePathStyle(pathStyle)
                .credentialsProvider(credentials());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private AwsCredentialsProvider credentials() {
        if (accessKeyId.isEmpty()) return DefaultCredentialsProvider.builder().build();
        return StaticCredentialsProvider.create(sessionToken.isPresent()
                ? AwsSessionCredentials.create(accessKeyId.get(), secretAccessKey.get(), sessionToken.get())
                : AwsBasicCredentials.create(accessKeyId.get(), secretAccessKey.get()));
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("AWS") + ", region=" + region + ", pathStyle=" + pathStyle
                + ", credentials=" + (accessKeyId.isPresent() ? "key " + accessKeyId.get() + " (secret not shown)" : "the SDK's default chain") + "]";
    }
}
