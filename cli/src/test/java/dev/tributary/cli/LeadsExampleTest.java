package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/leads end to end: its generator's exports typed into the Sheets sandbox, the sheet synced by its
 * tributary.yml (the exports as fallback), then its models built on the same warehouse.
 */
class LeadsExampleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "leads").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private long query(String sql) throws SQLException {
        return Warehouse.number(dir.resolve("warehouse.duckdb"), sql);
    }

    private dev.tributary.sandbox.sheets.SheetsSandbox sandbox;

    @org.junit.jupiter.api.AfterEach
    void stopSandbox() {
        if (sandbox != null) sandbox.close();
    }

    /** The sandbox the example reads by default, empty but for its header, and the settings that point the project at it. */
    private Map<String, String> startSheet() {
        sandbox = dev.tributary.sandbox.sheets.SheetsSandbox.start(dev.tributary.sandbox.sheets.SheetsSandboxOptions.builder().leads(0).build());
        Path key = sandbox.writeServiceAccountKey(dir.resolve("sheets-key.json"));
        return Map.of("SHEETS_BASE_URL", sandbox.baseUrl(), "SHEETS_SPREADSHEET_ID", sandbox.leadsSpreadsheetId(), "SHEETS_KEY_FILE", key.toString());
    }

    /** Generates the exports and types their rows into the sandbox's sheet, as ./run does. */
    private void generateIntoSheet(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(extra));
        args.addAll(List.of("--push-to-sheet", sandbox.baseUrl(), "--control-key", sandbox.controlKey(), "--spreadsheet-id", sandbox.leadsSpreadsheetId()));
        generate(args.toArray(String[]::new));
    }

    private void generate(String... extra) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, EXAMPLE.resolve("GenerateLeads.java").toString(), dir.resolve("data").toString()));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String generated = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(generated).isZero();
    }

    @Test
    void theSheetSyncsWithoutDuplicatesFallsBackVisiblyAndComesBackWithoutDuplicates() throws Exception {
        Files.copy(EXAMPLE.resolve("tributary.yml"), dir.resolve("tributary.yml"));
        Map<String, String> env = startSheet();
        generateIntoSheet("--weeks", "30");

        CliRunner cli = new CliRunner(dir, env);
        CliRunner.Result sync = cli.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(sync.out()).contains("leads   succeeded").contains("Done: 1 of 1 streams synced").doesNotContain("FALLBACK");

        long leads = query("select count(*) from leads_sheet.leads");
        assertThat(leads).isPositive();
        assertThat(query("select count(distinct (company, first_name, last_name, country)) from leads_sheet.leads"))
                .as("unique on the natural key").isEqualTo(leads);
        assertThat(query("select count(*) from leads_sheet.leads where served_by <> 'sheets'")).isZero();
        assertThat(query("select count(*) from lead_export.companies")).isEqualTo(25);
        assertThat(query("select count(*) from leads_sheet._tributary_rejects where stream = 'leads'"))
                .as("a broken line typed into one cell has no key: rejected").isPositive();
        assertThat(query("select count(*) from leads_sheet.leads where added_at is null and invalid_values like '%last tuesday%'"))
                .as("an unparseable time is NULL with its text kept").isPositive();

        sandbox.counters().reset();
        CliRunner.Result again = cli.run("sync", "--json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("\"records\" : 0");
        // unchanged: discovery reads the header rows once, the read asks Drive's modifiedTime once, and that is all
        assertThat(sandbox.counters().byRoute().keySet()).as("requests of an unchanged sync (a token exchange aside)")
                .filteredOn(k -> !k.startsWith("POST /token")).containsExactlyInAnyOrder("GET /v4/spreadsheets/{id}/values/{range} 200", "GET /drive/v3/files/{id} 200");
        assertThat(sandbox.counters().count("GET /v4/spreadsheets/{id}/values/{range} 200")).isEqualTo(1);
        assertThat(sandbox.counters().count("/drive/")).isEqualTo(1);
        assertThat(query("select count(*) from leads_sheet.leads")).isEqualTo(leads);

        // the documented fallback demo: the key revoked, the next run reads the exports, says so, and loads nothing twice
        sandbox.control().revokeServiceAccountKey(true);
        CliRunner.Result fallback = cli.run("sync");
        assertThat(fallback.exitCode()).as(fallback.toString()).isZero();
        assertThat(fallback.out()).contains("fallback").contains("served from its FALLBACK, not its source").contains("Invalid JWT Signature.");
        assertThat(query("select count(*) from leads_sheet.leads")).isEqualTo(leads);
        assertThat(query("select count(*) from leads_sheet.leads where served_by like 'fallback:%'")).isEqualTo(leads);

        sandbox.control().revokeServiceAccountKey(false);
        CliRunner.Result back = cli.run("sync");
        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(back.out()).doesNotContain("FALLBACK");
        assertThat(query("select count(*) from leads_sheet.leads")).isEqualTo(leads);
        assertThat(query("select count(*) from leads_sheet.leads where served_by = 'sheets'")).isEqualTo(leads);
    }

    @Test
    void theModelsAnswerTheFourQuestionsAsComputedFromTheFiles() throws Exception {
        LocalDate today = LocalDate.now();
        for (String part : List.of("tributary.yml", "dbt_project.yml", "models", "seeds", "macros")) copyTree(EXAMPLE.resolve(part), dir.resolve(part));
        Map<String, String> env = startSheet();
        generateIntoSheet();
        CliRunner cli = new CliRunner(dir, env);
        CliRunner.Result sync = cli.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        CliRunner.Result build = cli.run("build", "--vars", "{as_of: '" + today + "'}");
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.out()).contains("OK created sql table model main.top_countries").contains("ERROR=0 SKIP=0");

        Expected expected = Expected.fromFiles(dir.resolve("data"), EXAMPLE.resolve("seeds/country_aliases.csv"), today);
        assertThat(expected.leads).as("the generator's files hold leads").hasSizeGreaterThan(1000);
        assertThat(query("select count(*) from main.stg_leads")).as("distinct leads after cleaning").isEqualTo(expected.leads.size());
        assertThat(query("select count(*) from leads_sheet.leads")).as("typed differently, so more rows before cleaning").isGreaterThan(expected.leads.size());

        assertThat(rows("select strftime(month, '%Y-%m'), leads from main.leads_per_month order by month")).isEqualTo(expected.perMonthThisYear());
        assertThat(query("select count(*) from main.leads_last_10_days")).isEqualTo(expected.lastDays(10));
        assertThat(rows("select country, leads from main.top_countries order by rank")).isEqualTo(expected.topCountries(20));
        assertThat(query("select sum(staff_in_hq_country) from main.staff_in_hq_country")).isEqualTo(expected.staffInHqCountry());
        assertThat(query("select count(*) from main.top_countries where country <> trim(country) or country in ('US', 'DE', 'Deutschland', 'india')"))
                .as("one spelling per country").isZero();

        // each answer is exported by the answers folder's post-hook to exports/<model>.parquet under the project folder
        assertThat(dir.resolve("exports")).isDirectory();
        for (String model : List.of("leads_per_month", "leads_last_10_days", "top_countries", "staff_in_hq_country")) {
            Path parquet = dir.resolve("exports").resolve(model + ".parquet");
            assertThat(parquet).as(model).isRegularFile();
            long rows = query("select count(*) from main." + model);
            assertThat(rows).as(model + " has rows").isPositive();
            assertThat(query("select count(*) from read_parquet('" + parquet.toString().replace("'", "''") + "')")).as(model + ".parquet rows").isEqualTo(rows);
        }
        try (Stream<Path> exported = Files.list(dir.resolve("exports"))) {
            assertThat(exported.map(p -> p.getFileName().toString()).sorted().toList()).as("only the answers are exported")
                    .containsExactly("leads_last_10_days.parquet", "leads_per_month.parquet", "staff_in_hq_country.parquet", "top_countries.parquet");
        }
    }

    private List<List<String>> rows(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<String>> out = new ArrayList<>();
            while (rs.next()) out.add(List.of(rs.getString(1), rs.getString(2)));
            return out;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest);
            }
        }
    }

    /** The four answers computed in plain Java from the generated CSV and JSON lines, independently of the models' SQL. */
    private record Expected(Map<List<String>, LocalDateTime> leads, Map<String, String> hqByCompany, LocalDate today) {
        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

        static Expected fromFiles(Path data, Path aliasesFile, LocalDate today) throws IOException {
            Map<String, String> aliases = new HashMap<>();
            for (String line : Files.readAllLines(aliasesFile).subList(1, Files.readAllLines(aliasesFile).size())) {
                List<String> f = csv(line);
                aliases.put(f.get(0), f.get(1));
            }
            // The sync merges rows with the same key as typed, the last file's row winning (files are read in name order)...
            Map<List<String>, LocalDateTime> typed = new HashMap<>();
            try (Stream<Path> files = Files.list(data.resolve("leads")).sorted()) {
                for (Path file : files.toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (String line : lines.subList(1, lines.size())) {
                        List<String> f = csv(line);
                        if (f == null || f.size() != 7) continue; // a broken row: the sync rejects it
                        LocalDateTime added;
                        try {
                            added = LocalDateTime.parse(f.get(5), STAMP);
                        } catch (DateTimeParseException e) {
                            continue; // an unreadable time: rejected too
                        }
                        typed.put(List.of(f.get(0), f.get(1), f.get(2), f.get(4)), added);
                    }
                }
            }
            // ...then cleaning makes rows typed differently one lead, first added at the earliest time.
            Map<List<String>, LocalDateTime> leads = new HashMap<>();
            typed.forEach((k, added) -> leads.merge(List.of(norm(k.get(0)), norm(k.get(1)), norm(k.get(2)), country(k.get(3), aliases)), added,
                    (a, b) -> a.isBefore(b) ? a : b));
            Map<String, String> hq = new HashMap<>();
            for (String line : Files.readAllLines(data.resolve("companies.jsonl"))) {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
                hq.put(norm(node.get("company").asText()), country(node.get("hq_country").asText(), aliases));
            }
            return new Expected(leads, hq, today);
        }

        private static String clean(String s) {
            return s.strip().replaceAll("\\s+", " ");
        }

        private static String norm(String s) {
            return clean(s).toLowerCase(Locale.ROOT);
        }

        private static String country(String raw, Map<String, String> aliases) {
            return aliases.getOrDefault(norm(raw), clean(raw));
        }

        List<List<String>> perMonthThisYear() {
            Map<String, Long> months = new TreeMap<>();
            leads.values().stream().filter(t -> t.getYear() == today.getYear() && !t.toLocalDate().isAfter(today))
                    .forEach(t -> months.merge(YearMonth.from(t).toString(), 1L, Long::sum));
            return months.entrySet().stream().map(e -> List.of(e.getKey(), String.valueOf(e.getValue()))).toList();
        }

        long lastDays(int days) {
            return leads.values().stream().map(LocalDateTime::toLocalDate)
                    .filter(d -> d.isAfter(today.minusDays(days)) && !d.isAfter(today)).count();
        }

        List<List<String>> topCountries(int n) {
            Map<String, Long> counts = new LinkedHashMap<>();
            leads.keySet().forEach(k -> counts.merge(k.get(3), 1L, Long::sum));
            return counts.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed().thenComparing(Map.Entry::getKey))
                    .limit(n).map(e -> List.of(e.getKey(), String.valueOf(e.getValue()))).toList();
        }

        long staffInHqCountry() {
            return leads.keySet().stream().filter(k -> k.get(3).equals(hqByCompany.get(k.get(0)))).count();
        }

        /** One CSV line (the generator writes no line breaks inside fields); null when a quote is left open. */
        static List<String> csv(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    out.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(ch);
                }
            }
            if (quoted) return null;
            out.add(field.toString());
            return out;
        }
    }
}
