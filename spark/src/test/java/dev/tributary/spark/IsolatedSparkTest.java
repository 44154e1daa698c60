package dev.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.transform.SparkTargets;
import dev.tributary.transform.spark.SparkClasspath;
import dev.tributary.transform.spark.SparkRuntime;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark as a user of tributary's jar gets it: the jars of the build's listing fetched into a cache (here from the local
 * Maven repository) and loaded in a class loader of their own, apart from this test's class path. Two connections
 * (a second session of the application) on worker threads whose context class loader is not Spark's, writing and
 * reading Iceberg tables through the vectorized Parquet reader.
 */
class IsolatedSparkTest {
    @TempDir
    Path dir;

    @Test
    void runsFromItsOwnClassLoader() throws Exception {
        List<String> progress = new ArrayList<>();
        Driver driver = SparkRuntime.isolatedDriver(SparkClasspath.fromEnvironment(SparkClasspath.LISTING).resolve(progress::add));
        assertThat(driver.getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());
        assertThat(driver.getClass().getClassLoader().getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
        Properties p = new Properties();
        Path lake = Files.createDirectories(dir.resolve("lakehouse"));
        p.putAll(SparkTargets.icebergCatalog("tributary", "embedded", lake, null, null));
        ExecutorService workers = Executors.newFixedThreadPool(2); // threads whose context loader is the test's, as the runner's
        try (Connection first = driver.connect("jdbc:tributary-spark:local[2]", p); Connection second = driver.connect("jdbc:tributary-spark:local[2]", p)) {
            try (Statement s = first.createStatement()) {
                s.execute("create schema if not exists \"iso\"");
            }
            List<Future<Long>> sums = new ArrayList<>();
            int i = 0;
            for (Connection c : List.of(first, second)) {
                String table = "\"iso\".\"t" + i++ + "\"";
                sums.add(workers.submit(() -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("create or replace table " + table + " as select id, cast(id * 2 as bigint) as twice from range(1000)");
                        try (ResultSet rs = s.executeQuery("select sum(twice) from " + table)) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    }
                }));
            }
            for (Future<Long> sum : sums) assertThat(sum.get()).isEqualTo(999_000L);
        } finally {
            workers.shutdown();
            try {
                driver.getClass().getMethod("shutdown").invoke(null);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
