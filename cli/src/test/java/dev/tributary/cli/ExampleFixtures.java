package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the example and serve tests share: copying an example project, its product-database generator, test files. */
final class ExampleFixtures {
    static final Path REVOPS = Path.of("..", "examples", "revops").toAbsolutePath().normalize();
    static final Path LAKEHOUSE = Path.of("..", "examples", "lakehouse").toAbsolutePath().normalize();

    private ExampleFixtures() {}

    /** Copies an example's tributary.yml and those of its models, macros and seeds folders it has into dir. */
    static void copyProject(Path example, Path dir) throws Exception {
        Files.copy(example.resolve("tributary.yml"), dir.resolve("tributary.yml"));
        for (String folder : new String[] {"models", "macros", "seeds"}) {
            if (!Files.isDirectory(example.resolve(folder))) continue;
            try (var files = Files.walk(example.resolve(folder))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = dir.resolve(example.relativize(f).toString());
                    if (Files.isDirectory(f)) Files.createDirectories(to);
                    else Files.copy(f, to);
                }
            }
        }
    }

    /** The RevOps example's generator, run as its README says (a single-file Java program, drivers on the class path); returns its SQL. */
    static String generateProductDb(String schema, String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                REVOPS.resolve("GenerateProductDb.java").toString(), "--schema", schema));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String sql = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return sql;
    }

    /** The lakehouse example's "Redshift" generator, run as its seed script runs it (a single-file Java program); returns its SQL. */
    static String generateMarketingDb(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                LAKEHOUSE.resolve("GenerateMarketingDb.java").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String sql = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return sql;
    }

    /** data/part-N.jsonl files of numbered rows (id, name, amount, at), ids 0 .. files*rowsPerFile-1. */
    static void writeNumberedJsonl(Path dir, int files, int rowsPerFile) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        for (int f = 0; f < files; f++) {
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("data/part-" + f + ".jsonl"), StandardCharsets.UTF_8)) {
                for (int i = 0; i < rowsPerFile; i++) {
                    int id = f * rowsPerFile + i;
                    w.write("{\"id\":" + id + ",\"name\":\"row " + id + "\",\"amount\":" + (id % 1000) + ".25,\"at\":\"2026-01-01T00:00:00Z\"}\n");
                }
            }
        }
    }
}
