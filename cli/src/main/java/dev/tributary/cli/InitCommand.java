package dev.tributary.cli;

import java.io.File;
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
 * {@code tributary init [DIR]}: writes a small project on which every command of the README works at once: a files
 * connection over a sample CSV into the embedded DuckDB warehouse, the source declared for the models (with tests,
 * checks and freshness), a seed, a model and a snapshot. Exit code 0, or 2 when DIR already holds a project (without --force).
 */
@Command(name = "init", description = "Create a new project: a sample CSV synced into an embedded DuckDB warehouse, and a model built on it.")
final class InitCommand implements Callable<Integer> {
    /** The sample model, named in the next steps init prints (and in the README's commands). */
    static final String SAMPLE_MODEL = "customers_by_country";

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
        for (Map.Entry<String, String> f : files(name).entrySet()) {
            Path p = target.resolve(f.getKey());
            if (Files.exists(p) && !force && !f.getKey().equals("tributary.yml")) {
                out.println("  kept    " + f.getKey() + " (exists)");
                continue;
            }
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            out.println("  created " + f.getKey());
        }
        String run = command(root.environment) + " -p " + shellWord(shown(target));
        out.println("Project ready in " + target + ". Next:");
        out.println("  " + run + " check      # validate the project, open the warehouse, test the connection");
        out.println("  " + run + " sync       # load data/customers.csv into warehouse.duckdb (table example.customers)");
        out.println("  " + run + " build      # the seed, the model " + SAMPLE_MODEL + ", the snapshot, their tests and checks");
        out.println("  " + run + " show " + SAMPLE_MODEL);
        return ExitCode.OK;
    }

    /** The project's files, by path relative to its folder. */
    static Map<String, String> files(String name) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("tributary.yml", """
                # Tributary project. Docs: the README of the Tributary repository.
                name: %s

                # The warehouse: an embedded DuckDB file in this folder.
                destination:
                  type: duckdb
                  path: warehouse.duckdb

                connections:
                  # Each connection lands in a schema of its own name: this one loads table example.customers.
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

                # SQL models (dbt-style) live in models/, seeds in seeds/, snapshots in snapshots/; `tributary build`
                # builds them on this project's warehouse. models/sources.yml declares what the connections load.
                """.formatted(name));
        files.put("data/customers.csv", """
                id,name,email,country,signed_up,lifetime_value
                1,Ada Lovelace,ada@example.com,GB,2025-03-14,1250.50
                2,Grace Hopper,grace@example.com,US,2025-07-01,980.00
                3,Edsger Dijkstra,edsger@example.com,NL,2026-01-20,15.75
                """);
        files.put("models/sources.yml", """
                # What the connections load, for the models: source('example', 'customers') is table example.customers.
                version: 2
                sources:
                  - name: example                        # the connection's name (its schema)
                    tables:
                      - name: customers
                        loaded_at_field: _tributary_extracted_at   # `tributary freshness` measures the last sync
                        freshness:
                          warn_after: {count: 1, period: day}
                          error_after: {count: 7, period: day}
                        columns:
                          - name: id
                            tests: [unique, not_null]
                        checks:                          # data-quality checks: `tributary checks`
                          - row_count: {min: 1}
                          - invalid_count: {column: email, format: email, warn: '> 0', fail: '> 10'}
                """);
        files.put("models/" + SAMPLE_MODEL + ".sql", """
                -- Customers and their lifetime value per country, with the country's name from the seed.
                select
                    c.country,
                    coalesce(n.country_name, c.country) as country_name,
                    count(*) as customers,
                    sum(c.lifetime_value) as lifetime_value
                from {{ source('example', 'customers') }} as c
                left join {{ ref('countries') }} as n on n.country_code = c.country
                group by c.country, n.country_name
                """);
        files.put("models/schema.yml", """
                version: 2
                models:
                  - name: %s
                    columns:
                      - name: country
                        tests: [unique, not_null]
                    checks:
                      - row_count: {min: 1}
                      - negative_count: {column: lifetime_value}
                """.formatted(SAMPLE_MODEL));
        files.put("seeds/countries.csv", """
                country_code,country_name
                DE,Germany
                FR,France
                GB,United Kingdom
                NL,Netherlands
                US,United States
                """);
        files.put("snapshots/customers_snapshot.sql", """
                {% snapshot customers_snapshot %}
                {# Keeps every version of each customer: a changed name, e-mail, country or value adds a row. #}
                {{ config(target_schema='snapshots', unique_key='id', strategy='check',
                          check_cols=['name', 'email', 'country', 'lifetime_value']) }}
                select id, name, email, country, lifetime_value from {{ source('example', 'customers') }}
                {% endsnapshot %}
                """);
        files.put(".env.example", """
                # Copy to .env and fill in. Values here are substituted for ${NAME} in tributary.yml.
                # Real environment variables win over .env.
                """);
        files.put(".gitignore", """
                # The warehouse, build output, serve's run history, and secrets stay out of version control.
                warehouse.duckdb
                warehouse.duckdb.wal
                warehouse.duckdb.tributary-lock
                target/
                .tributary/
                .env
                """);
        return files;
    }

    /**
     * How the user runs Tributary, for the next steps: {@code tributary} when it is on the PATH, otherwise the launcher
     * they used ({@code ./tributary} exports its own path as TRIBUTARY_COMMAND), otherwise {@code ./tributary}.
     */
    static String command(Map<String, String> environment) {
        String path = environment.getOrDefault("PATH", "");
        for (String folder : path.split(File.pathSeparator)) {
            if (folder.isEmpty()) continue;
            try {
                if (Files.isExecutable(Path.of(folder, "tributary")) && !Files.isDirectory(Path.of(folder, "tributary"))) return "tributary";
            } catch (java.nio.file.InvalidPathException ignored) {
                // a PATH entry that is no path: skip it
            }
        }
        String launcher = environment.get("TRIBUTARY_COMMAND");
        return launcher == null || launcher.isBlank() ? "./tributary" : shellWord(launcher);
    }

    /** The folder as the user would type it: relative to the current folder when inside it. */
    private static String shown(Path target) {
        Path here = Path.of("").toAbsolutePath().normalize();
        if (target.startsWith(here) && !target.equals(here)) return here.relativize(target).toString();
        return target.equals(here) ? "." : target.toString();
    }

    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9_./@:+=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
