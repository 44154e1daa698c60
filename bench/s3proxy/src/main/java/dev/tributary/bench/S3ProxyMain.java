package dev.tributary.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3 server for benchmarks in a process of its own (so its memory is not the benchmark's): s3proxy on a random
 * port of 127.0.0.1 storing objects in a folder, checking V4 signatures. Prints {@code PORT n} when ready.
 *
 * <p>Usage: {@code S3ProxyMain folder bucket access-key secret-key}.
 */
public final class S3ProxyMain {
    private S3ProxyMain() {}

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        Files.createDirectories(folder);
        BlobStore store = new FilesystemNio2BlobStore(folder.toString());
        store.createContainer(args[1]);
        S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, args[2], args[3]).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) Thread.sleep(10);
        System.out.println("PORT " + proxy.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
