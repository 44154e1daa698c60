package dev.tributary.destination.iceberg;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/** An embedded S3 server (s3proxy, in memory, checking V4 signatures) on a random port of 127.0.0.1, for tests. */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "tributary-test";
    static final String SECRET_KEY = "tributary-test-secret";

    private final S3Proxy proxy;
    private final BlobStore store;

    private S3ProxyServer(S3Proxy proxy, BlobStore store) {
        this.proxy = proxy;
        this.store = store;
    }

    private static S3ProxyServer shared;

    /** One server (with bucket {@code lake}) for every test class of the JVM; tests use a prefix of their own. */
    static synchronized S3ProxyServer shared() throws Exception {
        if (shared == null) {
            shared = start();
            shared.createBucket("lake");
        }
        return shared;
    }

    static S3ProxyServer start() throws Exception {
        BlobStore store = new TransientNio2BlobStore();
        S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            Thread.sleep(10);
        }
        return new S3ProxyServer(proxy, store);
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    void createBucket(String bucket) {
        store.createContainer(bucket);
    }

    /** Destination settings for {@code s3://bucket/prefix} on this server, the embedded catalog in {@code catalogDir}. */
    ObjectNode config(String bucket, String prefix, Path catalogDir) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("warehouse", "s3://" + bucket + "/" + prefix);
        ObjectNode s3 = c.putObject("s3");
        s3.put("endpoint", endpoint());
        s3.put("region", "us-east-1");
        s3.put("path_style", true);
        s3.put("access_key_id", ACCESS_KEY);
        s3.put("secret_access_key", SECRET_KEY);
        c.putObject("catalog").put("path", catalogDir.resolve("catalog.sqlite").toString());
        return c;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
