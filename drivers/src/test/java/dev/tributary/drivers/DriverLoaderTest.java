package dev.tributary.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A driver that is not on the class path: fetched, loaded apart, reached through DriverManager. */
class DriverLoaderTest {
    @TempDir
    Path dir;

    /** A JDBC driver that answers jdbc:fake: by saying which loaders it runs in. */
    private static final String FAKE_DRIVER = """
            package fake;
            import java.sql.*;
            import java.util.Properties;
            public class FakeDriver implements Driver {
                static { try { DriverManager.registerDriver(new FakeDriver()); } catch (SQLException e) { throw new ExceptionInInitializerError(e); } }
                public Connection connect(String url, Properties info) throws SQLException {
                    if (!acceptsURL(url)) return null;
                    throw new SQLException("fake driver in " + getClass().getClassLoader().getName() + ", context " + Thread.currentThread().getContextClassLoader().getName() + ", user " + info.getProperty("user"));
                }
                public boolean acceptsURL(String url) { return url.startsWith("jdbc:fake:"); }
                public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) { return new DriverPropertyInfo[0]; }
                public int getMajorVersion() { return 7; }
                public int getMinorVersion() { return 1; }
                public boolean jdbcCompliant() { return false; }
                public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }
            }
            """;

    @Test
    void aDriverFromAFetchedJarIsReachedThroughDriverManagerFromItsOwnLoader() throws Exception {
        byte[] jar = driverJar();
        MavenJar coordinates = new MavenJar("org.example", "fake-driver", "7.1", FakeRepository.hex("SHA-256", jar));
        try (FakeRepository repo = new FakeRepository()) {
            repo.put(coordinates, jar, null);
            assertThatThrownBy(() -> Class.forName("fake.FakeDriver")).isInstanceOf(ClassNotFoundException.class);

            Driver driver = DriverLoader.register("fake.FakeDriver", coordinates, new DriverFetcher(dir.resolve("cache"), List.of(repo.url()), line -> {}));

            assertThat(driver.getMajorVersion()).isEqualTo(7);
            assertThat(DriverManager.getDriver("jdbc:fake:db")).isSameAs(driver);
            java.util.Properties p = new java.util.Properties();
            p.setProperty("user", "ana");
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:fake:db", p)).isInstanceOf(SQLException.class)
                    .hasMessage("fake driver in tributary-driver-fake-driver, context tributary-driver-fake-driver, user ana");
            assertThat(Thread.currentThread().getContextClassLoader().getName()).isNotEqualTo("tributary-driver-fake-driver");
            assertThat(DriverLoader.register("fake.FakeDriver", coordinates, new DriverFetcher(dir.resolve("elsewhere"), List.of(repo.url()), line -> {})))
                    .as("once per JVM").isSameAs(driver);
            assertThat(repo.jarRequests()).isEqualTo(1);
        }
    }

    @Test
    void aJarWithoutTheDriverClassIsAnErrorNamingBoth() throws Exception {
        byte[] jar = driverJar();
        MavenJar coordinates = new MavenJar("org.example", "not-that-driver", "1", null);
        try (FakeRepository repo = new FakeRepository()) {
            repo.put(coordinates, jar, null);
            DriverFetcher fetcher = new DriverFetcher(dir.resolve("cache"), List.of(repo.url()), line -> {});
            assertThatThrownBy(() -> DriverLoader.register("fake.OtherDriver", coordinates, fetcher)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot load the JDBC driver fake.OtherDriver from " + fetcher.file(coordinates) + " (org.example:not-that-driver:1): java.lang.ClassNotFoundException");
        }
    }

    /** FAKE_DRIVER compiled into a jar. */
    private byte[] driverJar() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/fake")).resolve("FakeDriver.java");
        Files.writeString(src, FAKE_DRIVER);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", classes.toString(), src.toString())).isZero();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes)) {
            out.putNextEntry(new JarEntry("fake/FakeDriver.class"));
            out.write(Files.readAllBytes(classes.resolve("fake/FakeDriver.class")));
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
