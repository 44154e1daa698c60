package dev.tributary.cli;

import dev.tributary.transform.spark.SparkArtifact;
import dev.tributary.transform.spark.SparkClasspath;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tributary spark}: where the Spark target's jars are; {@code --install} fetches them now (the first Spark build
 * does it by itself) so a machine can be prepared while online. Exit 0, or 1 when a jar cannot be fetched.
 */
@Command(name = "spark", description = "Show or fetch (--install) the Spark jars the spark target loads on first use.",
        footer = {"%nSpark (about 400 MB of jars) is not inside tributary's jar: the first build on a spark target fetches it from Maven Central",
                "into ~/.cache/tributary/spark (TRIBUTARY_SPARK_CACHE), or from TRIBUTARY_MAVEN_REPOSITORY (a mirror or a repository folder)."})
final class SparkCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--install", description = "Fetch the missing jars now (Spark local and Spark Connect's client).")
    boolean install;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            for (String listing : List.of(SparkClasspath.LISTING, SparkClasspath.CONNECT_LISTING)) {
                SparkClasspath cp = SparkClasspath.fromEnvironment(listing);
                String what = listing.equals(SparkClasspath.LISTING) ? "Spark (local[N])" : "Spark Connect client (sc://)";
                if (install) {
                    cp.resolve(line -> {
                        err.println(line);
                        err.flush();
                    });
                }
                List<SparkArtifact> missing = cp.missing();
                long bytes = 0;
                for (SparkArtifact a : cp.artifacts()) {
                    Path f = cp.file(a);
                    if (Files.isRegularFile(f)) bytes += Files.size(f);
                }
                out.printf("%-29s %d jars, %d missing, %d MB in %s%n", what, cp.artifacts().size(), missing.size(), bytes >> 20, cp.cache());
            }
            return ExitCode.OK;
        } catch (IllegalStateException | java.io.IOException e) {
            err.println("tributary spark: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }
}
