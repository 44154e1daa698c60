package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tributary}'s build of the jar (bin/build.sh), run on a copy of the scripts with a stand-in for the Maven
 * Wrapper: progress shows while Maven works, a TERM to the script stops Maven and everything it started, a failed build
 * shows Maven's errors, and TRIBUTARY_MAVEN_REPO reaches Maven.
 */
class BuildScriptTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path root;

    @BeforeEach
    void copyTheScripts() throws IOException {
        Files.createDirectories(root.resolve("bin"));
        for (String script : List.of("tributary", "bin/build.sh", "bin/find-java.sh", "bin/build-jar")) {
            Files.copy(REPO.resolve(script), root.resolve(script));
            executable(root.resolve(script));
        }
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(root.resolve("cli/src/main/java"));
        Files.writeString(root.resolve("cli/pom.xml"), "<project/>\n");
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A Maven Wrapper stand-in: records its arguments and pid, prints Maven's module lines, then runs BODY. */
    private void mavenWrapper(String body) throws IOException {
        Files.writeString(root.resolve("mvnw"), """
                #!/usr/bin/env bash
                here=$(cd "$(dirname "$0")" && pwd)
                echo "$*" > "$here/mvnw.args"
                echo "[INFO] Building Tributary 0.1.0-SNAPSHOT                                 [1/2]"
                echo "[INFO] Building Tributary SPI 0.1.0-SNAPSHOT                             [2/2]"
                """ + body);
        executable(root.resolve("mvnw"));
    }

    private Process tributary(Path stderr, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("tributary").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("TRIBUTARY_MAVEN_REPO", root.resolve("m2").toString());
        return pb.start();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s for " + what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theBuildShowsItsProgressAndATermToTheScriptStopsMavenWithIt() throws Exception {
        // the "build" runs until killed; it starts a child of its own as Maven's forked processes would
        mavenWrapper("""
                sleep 600 &
                echo $! > "$here/child.pid"
                echo $$ > "$here/mvnw.pid"
                wait
                """);
        Path stderr = root.resolve("stderr.txt");
        Process script = tributary(stderr, "version");
        await("the progress lines and Maven's child", () -> read(stderr).contains("[2/2] Tributary SPI") && !read(root.resolve("child.pid")).isBlank()
                && !read(root.resolve("mvnw.pid")).isBlank());
        assertThat(script.isAlive()).as("the build is still going: progress shows while it works").isTrue();
        assertThat(read(stderr)).contains("building the runnable jar cli/target/tributary.jar (first run)").contains("[1/2] Tributary");
        assertThat(read(root.resolve("mvnw.args"))).contains("-Dmaven.repo.local=" + root.resolve("m2"))
                .contains("-pl cli -am package").doesNotContain("install");

        Optional<ProcessHandle> maven = ProcessHandle.of(Long.parseLong(read(root.resolve("mvnw.pid")).trim()));
        Optional<ProcessHandle> child = ProcessHandle.of(Long.parseLong(read(root.resolve("child.pid")).trim()));
        assertThat(maven).isPresent();
        assertThat(child).isPresent();
        script.destroy();   // SIGTERM to the script alone, as a parent script's trap or a service manager sends it
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as(read(stderr)).isNotZero();
        maven.get().onExit().get(60, TimeUnit.SECONDS);
        child.get().onExit().get(60, TimeUnit.SECONDS);
        assertThat(maven.get().isAlive() || child.get().isAlive()).as("nothing of the build is left running").isFalse();
        assertThat(read(stderr)).contains("build stopped (TERM)");
    }

    @Test
    void aFailedBuildShowsMavensErrorsAndExitsThreeAndTheNextRunBuildsAgain() throws Exception {
        mavenWrapper("""
                echo "[ERROR] /src/Foo.java:[3,1] class, interface, enum, or record expected"
                echo "[INFO] BUILD FAILURE"
                exit 1
                """);
        Path stderr = root.resolve("stderr.txt");
        Process failed = tributary(stderr, "version");
        assertThat(failed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(failed.exitValue()).isEqualTo(3);
        assertThat(read(stderr)).contains("building cli/target/tributary.jar failed (Maven exit code 1)")
                .contains("[ERROR] /src/Foo.java:[3,1]").contains("BUILD FAILURE");

        // a half-built jar from the failed build is not taken for a good one
        Files.createDirectories(root.resolve("cli/target"));
        Files.writeString(root.resolve("cli/target/tributary.jar"), "half");
        mavenWrapper("""
                echo "[INFO] BUILD SUCCESS"
                """);
        Path again = root.resolve("stderr-again.txt");
        Process rebuilt = tributary(again, "version");
        assertThat(rebuilt.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(read(again)).as("the build ran again").contains("built cli/target/tributary.jar in ");
        assertThat(root.resolve("cli/target-build.log")).as("the log goes once the build succeeds").doesNotExist();
    }
}
