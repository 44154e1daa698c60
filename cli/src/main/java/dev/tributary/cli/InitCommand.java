package dev.tributary.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary init [DIR]}: writes a small project that works at once: a files connection over a sample
 * CSV into the embedded DuckDB warehouse. Exit code 0, or 2 when DIR already holds a project (without --force).
 */
@Command(name = "init", description = "Create a new project that syncs a sample CSV into an embedded DuckDB warehouse.")
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "Folder to create the project in (default: the --project folder).")
    Path dir;

    @Option(names = "--force", description = "Overwrite an existing tributary.yml.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        TributaryCommand root = spec.commandLine().getParent().getCommand();
        Path target = (dir != null ? dir : root.projectDir).toAbsolutePath().normalize();
        PrintWriter out = spec.commandLine().getOut();
        if (Files.exists(target.resolve("tributary.yml")) && !force) {
            spec.commandLine().getErr().println("tributary: " + target.resolve("tributary.yml") + " already exists (use --force to overwrite)");
            return ExitCode.CONFIG;
        }
        String name = target.getFileName() == null ? "project" : target.getFileName().toString().replaceAll("[^A-Za-z0-9_]", "_");
        Map<String, String> files = new LinkedHashMap<>();
        files.put("tributary.yml", """
                # Tributary project. Docs: the README of the Tributary repository.
                name: %s

                # The warehouse: an embedded DuckDB file in this folder.
                destination:
                  type: duckdb
                  path: warehouse.duckdb

                connections:
                  # Each connection lands in a schema of its own name.
                  example:
                    type: files
                    config:
                      base_path: data
                      streams:
                        - name: customers
                          path: "customers*.csv"
                          format: csv
                          primary_key: [id]
                    streams:
                      customers:
                        write_mode: merge      # append | overwrite | merge
                        on_error: fail         # fail | reject (bad rows go to _tributary_rejects)
                """.formatted(name));
        files.put("data/customers.csv", """
                id,name,email,country,signed_up,lifetime_value
                1,Ada Lovelace,ada@example.com,GB,2025-03-14,1250.50
                2,Grace Hopper,grace@example.com,US,2025-07-01,980.00
                3,Edsger Dijkstra,edsger@example.com,NL,2026-01-20,15.75
                """);
        files.put(".env.example", """
                # Copy to .env and fill in. Values here are substituted for ${NAME} in tributary.yml.
                # Real environment variables win over .env.
                """);
        files.put(".gitignore", "warehouse.duckdb\nwarehouse.duckdb.wal\n.env\n");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = target.resolve(f.getKey());
            if (Files.exists(p) && !force && !f.getKey().equals("tributary.yml")) {
                out.println("  kept    " + f.getKey() + " (exists)");
                continue;
            }
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            out.println("  created " + f.getKey());
        }
        out.println("Project ready in " + target + ". Next:");
        out.println("  tributary -p " + target + " check");
        out.println("  tributary -p " + target + " sync");
        return ExitCode.OK;
    }
}
