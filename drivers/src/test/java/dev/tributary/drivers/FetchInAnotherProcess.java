package dev.tributary.drivers;

import java.nio.file.Path;
import java.util.List;

/** A second JVM fetching a jar (DriverFetcherTest): args cache, repository, group, artifact, version, sha256; prints the jar's path. */
public final class FetchInAnotherProcess {
    public static void main(String[] args) {
        DriverFetcher fetcher = new DriverFetcher(Path.of(args[0]), List.of(args[1]), line -> System.err.println(line));
        System.out.println(fetcher.fetch(new MavenJar(args[2], args[3], args[4], args[5])));
    }
}
