import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes the lead-analytics example's input files: weekly lead exports (CSV) from a sales team's spreadsheet and
 * a companies file (newline-delimited JSON) mapping each company to its headquarters country.
 *
 * <p>The data is realistic on purpose: dates relative to today (the last ~14 months), leads re-exported in a later
 * week with a changed title (duplicates on company, first name, last name and country), quoted names with commas,
 * companies repeated in the companies file, and a few malformed rows that the project sends to
 * {@code _tributary_rejects}.
 *
 * <p>Run with a JDK 21+: {@code java GenerateLeads.java OUTPUT_DIR [--weeks N] [--leads-per-week N] [--seed N]
 * [--push-to-sheet SANDBOX_URL --control-key KEY --spreadsheet-id ID]}. With {@code --push-to-sheet}, the rows of the
 * exports (generated first if OUTPUT_DIR/leads does not exist) are typed into the Sheets sandbox's {@code Leads} tab
 * through its control API, so the sheet holds what its exports hold, as in real life.
 */
public final class GenerateLeads {
    private static final String[] FIRST = {"Ana", "Ben", "Chloé", "David", "Emma", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
        "Mateo", "Nora", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë", "Liam", "Olivia",
        "Noah", "Amelia", "Lucas", "Mia", "Elif", "Björn", "Siobhán", "Łukasz"};
    private static final String[] LAST = {"García", "Müller", "Smith", "Rossi", "Dubois", "Nakamura", "Okafor", "Kowalski", "Johansson",
        "O'Brien", "van der Berg", "Silva", "Nguyen", "Patel", "Schmidt", "Ivanova", "Haddad", "Fernández", "Lindqvist", "Moreau", "Kim",
        "Andersen", "Costa", "Novak", "Yilmaz", "Murphy", "Tanaka", "Jensen", "Brown", "Wilson"};
    private static final String[] TITLES = {"Head of Sales", "VP Marketing", "CFO", "RevOps Manager", "Sales Director", "CEO",
        "Marketing Ops Lead", "Account Executive", "Growth Manager", "Chief Revenue Officer", "Data Analyst", "Procurement Lead"};
    private static final String[] COUNTRIES = {"United States", "Germany", "United Kingdom", "France", "Spain", "Netherlands", "Sweden",
        "Japan", "Brazil", "India", "Canada", "Australia", "Italy", "Poland", "Ireland", "Nigeria", "Mexico", "Singapore", "Denmark", "Turkey"};
    private static final String[] COMPANY_WORDS = {"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay",
        "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Aperture", "Massive Dynamic", "Pied Piper", "Gringotts", "Oceanic", "Monarch",
        "Nakatomi", "Blue Sun", "Dunder Mifflin", "Sterling Cooper", "Prestige Worldwide", "Bluth", "Los Pollos"};
    /** Other spellings operators type for a country: its ISO code, other names, odd case and spacing. */
    private static final String[][] COUNTRY_VARIANTS = {{"United States", "US", "USA", "U.S.", "united states"}, {"Germany", "DE", "Deutschland", "GERMANY"},
        {"United Kingdom", "UK", "GB", "Great Britain"}, {"France", "FR", "france"}, {"Spain", "ES", "España"}, {"Netherlands", "NL", "The Netherlands", "Holland"},
        {"Sweden", "SE", "Sverige"}, {"Japan", "JP", "JAPAN"}, {"Brazil", "BR", "Brasil"}, {"India", "IN", "india"}, {"Canada", "CA", "canada"},
        {"Australia", "AU", "australia"}, {"Italy", "IT", "Italia"}, {"Poland", "PL", "Polska"}, {"Ireland", "IE", "IRELAND"}, {"Nigeria", "NG", "nigeria"},
        {"Mexico", "MX", "México"}, {"Singapore", "SG", "singapore"}, {"Denmark", "DK", "Danmark"}, {"Turkey", "TR", "Türkiye"}};
    private static final String[] SUFFIXES = {"Inc.", "GmbH", "Ltd", "S.A.", "B.V.", "AB", "K.K.", "LLC", "plc", "SAS", "S.p.A."};

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java GenerateLeads.java OUTPUT_DIR [--weeks N] [--leads-per-week N] [--seed N]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int weeks = 60;
        int perWeek = 40;
        long seed = 7;
        String sheetUrl = null;
        String controlKey = null;
        String spreadsheetId = null;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--push-to-sheet" -> sheetUrl = args[i + 1];
                case "--control-key" -> controlKey = args[i + 1];
                case "--spreadsheet-id" -> spreadsheetId = args[i + 1];
                case "--weeks" -> weeks = Integer.parseInt(args[i + 1]);
                case "--leads-per-week" -> perWeek = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (sheetUrl == null || !Files.isDirectory(out.resolve("leads"))) {
            Random random = new Random(seed);
            List<String[]> companies = companies(random);
            writeCompanies(out.resolve("companies.jsonl"), companies, random);
            int leads = writeLeads(out.resolve("leads"), companies, weeks, perWeek, random);
            System.out.printf("generated %d lead rows in %d weekly exports and %d companies under %s%n", leads, weeks, companies.size(), out);
        }
        if (sheetUrl != null) pushToSheet(out.resolve("leads"), sheetUrl, controlKey, spreadsheetId);
    }

    /** Types the exports' rows into the sandbox sheet's Leads tab (header first), oldest export first. */
    private static void pushToSheet(Path leadsDir, String url, String key, String spreadsheetId) throws IOException {
        if (key == null || spreadsheetId == null) throw new IllegalArgumentException("--push-to-sheet needs --control-key and --spreadsheet-id");
        List<List<String>> rows = new ArrayList<>();
        List<Path> files;
        try (var list = Files.list(leadsDir)) {
            files = list.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 1; i < lines.size(); i++) rows.add(splitCsv(lines.get(i)));
        }
        List<String> header = new ArrayList<>(List.of("company", "first_name", "last_name", "title", "country", "added_at", "email"));
        while (header.size() < 12) header.add(""); // clear what the sandbox's own header had there
        post(url + "/_sandbox/cells", key, "{\"spreadsheetId\":" + json(spreadsheetId) + ",\"range\":\"Leads!A1\",\"values\":[" + jsonRow(header) + "]}");
        for (int from = 0; from < rows.size(); from += 500) {
            StringBuilder b = new StringBuilder("{\"spreadsheetId\":" + json(spreadsheetId) + ",\"sheet\":\"Leads\",\"values\":[");
            for (int i = from; i < Math.min(rows.size(), from + 500); i++) b.append(i > from ? "," : "").append(jsonRow(rows.get(i)));
            post(url + "/_sandbox/rows", key, b.append("]}").toString());
        }
        System.out.printf("typed %d lead rows from %d exports into the sheet %s at %s%n", rows.size(), files.size(), spreadsheetId, url);
    }

    private static void post(String url, String key, String body) throws IOException {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("X-Sandbox-Control-Key", key).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) throw new IOException("the sandbox answered " + response.statusCode() + " to " + url + ": " + response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** One CSV line as fields; a quote left open (a broken row) runs to the end of the line, as one field. */
    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { f.append('"'); i++; }
                else if (c == '"') quoted = false;
                else f.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') { out.add(f.toString()); f.setLength(0); }
            else f.append(c);
        }
        out.add(f.toString());
        return out;
    }

    private static String jsonRow(List<String> row) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < row.size(); i++) b.append(i > 0 ? "," : "").append(json(row.get(i)));
        return b.append("]").toString();
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    /** Each company: name and headquarters country. */
    private static List<String[]> companies(Random random) {
        List<String[]> out = new ArrayList<>();
        for (String word : COMPANY_WORDS) {
            String name = word + " " + SUFFIXES[random.nextInt(SUFFIXES.length)];
            out.add(new String[] {name, COUNTRIES[random.nextInt(COUNTRIES.length)]});
        }
        return out;
    }

    private static void writeCompanies(Path file, List<String[]> companies, Random random) throws IOException {
        Files.createDirectories(file.getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (String[] c : companies) {
                w.println(companyJson(c, 50 + random.nextInt(5000), random.nextInt(1990, 2024)));
            }
            // The same company listed twice (a copy-paste in the source sheet): deduplicated on company + HQ.
            String[] again = companies.get(3);
            w.println(companyJson(again, 51, 2001));
        }
    }

    private static String companyJson(String[] c, int employees, int founded) {
        return "{\"company\": \"" + c[0] + "\", \"hq_country\": \"" + c[1] + "\", \"employees\": " + employees + ", \"founded\": " + founded
                + ", \"domain\": \"" + c[0].toLowerCase().replaceAll("[^a-z]", "") + ".example\"}";
    }

    private static int writeLeads(Path dir, List<String[]> companies, int weeks, int perWeek, Random random) throws IOException {
        Files.createDirectories(dir);
        LocalDate today = LocalDate.now();
        DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        List<String[]> earlier = new ArrayList<>();
        int rows = 0;
        for (int week = weeks - 1; week >= 0; week--) {
            LocalDate weekStart = today.minusWeeks(week).minusDays(6);
            Path file = dir.resolve("leads-" + weekStart.plusDays(6) + ".csv");
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
                w.println("company,first_name,last_name,title,country,added_at,email");
                int count = perWeek / 2 + random.nextInt(perWeek);
                for (int i = 0; i < count; i++) {
                    String[] company = companies.get(random.nextInt(companies.size()));
                    // Most staff work in their company's HQ country; some elsewhere.
                    String country = random.nextInt(100) < 65 ? company[1] : COUNTRIES[random.nextInt(COUNTRIES.length)];
                    LocalDateTime added = weekStart.atStartOfDay().plusMinutes(random.nextInt(7 * 24 * 60));
                    if (added.toLocalDate().isAfter(today)) added = today.atStartOfDay().plusMinutes(random.nextInt(8 * 60));
                    String first = FIRST[random.nextInt(FIRST.length)];
                    String last = LAST[random.nextInt(LAST.length)];
                    String[] lead = {company[0], first, last, TITLES[random.nextInt(TITLES.length)], country(country, random), stamp.format(added),
                        email(first, last, company[0], random)};
                    w.println(csv(lead));
                    earlier.add(lead);
                    rows++;
                }
                // A lead exported again with a new title: the same person, so it must not count twice.
                if (earlier.size() > 10 && random.nextBoolean()) {
                    String[] again = earlier.get(random.nextInt(earlier.size() - 5)).clone();
                    again[3] = TITLES[random.nextInt(TITLES.length)];
                    // ...often typed differently: case and stray spaces, so only cleaning finds that it is the same lead
                    switch (random.nextInt(4)) {
                        case 0 -> again[0] = again[0].toUpperCase();
                        case 1 -> again[2] = "  " + again[2].toLowerCase() + " ";
                        case 2 -> again[1] = again[1].toUpperCase();
                        default -> { }
                    }
                    w.println(csv(again));
                    rows++;
                }
                // Now and then a broken row, as hand-edited sheets have.
                if (week % 17 == 3) {
                    w.println("\"Unclosed Quote Corp,Sam,Lee,CEO,Germany," + stamp.format(weekStart.atTime(9, 0)) + ",sam@unclosed.example");
                    rows++;
                } else if (week % 13 == 5) {
                    w.println("Acme Inc.,Pat,Doe,CTO,United States,last tuesday,pat.doe@acme.example");
                    rows++;
                }
            }
        }
        return rows;
    }

    /** Mostly the canonical name; sometimes a code, another name, or odd case and spaces. */
    private static String country(String canonical, Random random) {
        int roll = random.nextInt(100);
        if (roll >= 15) return canonical;
        for (String[] variants : COUNTRY_VARIANTS) {
            if (variants[0].equals(canonical)) {
                String v = variants[1 + random.nextInt(variants.length - 1)];
                return roll < 3 ? " " + v + " " : v;
            }
        }
        return canonical;
    }

    /** first.last@company.example, with the mess of hand-typed sheets: capitals, spaces, blanks and a few broken addresses. */
    private static String email(String first, String last, String company, Random random) {
        String local = ascii(first) + "." + ascii(last);
        String domain = company.toLowerCase().replaceAll("[^a-z]", "") + ".example";
        int roll = random.nextInt(100);
        if (roll < 3) return "";
        if (roll < 5) return local + " at " + domain;
        if (roll < 10) return (local + "@" + domain).toUpperCase();
        if (roll < 13) return " " + local + "@" + domain + " ";
        return local + "@" + domain;
    }

    private static String ascii(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replace("ł", "l").replace("Ł", "L").toLowerCase().replaceAll("[^a-z]", "");
    }

    private static String csv(String[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(',');
            String v = values[i];
            if (v.contains(",") || v.contains("\"") || v.contains("\n") || !v.equals(v.strip())) sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            else sb.append(v);
        }
        return sb.toString();
    }
}
