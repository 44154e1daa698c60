package dev.tributary.sandbox.sheets.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sandbox's spreadsheets, generated from the seed: "Leads" (shared with the service account and the OAuth
 * user, readable by anyone with the link, so an API key works) with tabs {@code Leads} (the generated lead list),
 * {@code Bob's Import} (a header merged across two columns in row 1, the real header in row 2),
 * {@code Leads 2026} (a few clean rows) and {@code Empty}; and "Finance (private)", shared with no one but its owner.
 */
public final class Workbooks {
    public static final Instant CREATED = Instant.parse("2026-11-30T09:00:00Z");

    private final Map<String, Spreadsheet> byId = new LinkedHashMap<>();
    private final String leadsId;
    private final String privateId;

    public Workbooks(long seed, int leads, String serviceAccountEmail, String userEmail) {
        this.leadsId = spreadsheetId(seed, "leads");
        this.privateId = spreadsheetId(seed, "private");
        Spreadsheet sheet = new Spreadsheet(leadsId, "Leads", true, CREATED,
                Set.of(serviceAccountEmail.toLowerCase(java.util.Locale.ROOT), userEmail.toLowerCase(java.util.Locale.ROOT)));
        sheet.addTab(new Tab(0, "Leads", 0, new LeadRows(seed, leads), LeadRows.COLUMNS));
        sheet.addTab(new Tab(1_204_783_101, "Bob's Import", 1, fixed(bobsImport()), 6));
        sheet.addTab(new Tab(1_204_783_102, "Leads 2026", 2, fixed(leads2026()), 6));
        sheet.addTab(new Tab(1_204_783_103, "Empty", 3, null, 26));
        byId.put(leadsId, sheet);
        Spreadsheet finance = new Spreadsheet(privateId, "Finance (private)", false, CREATED, Set.of("owner@tributary.example"));
        finance.addTab(new Tab(0, "Sheet1", 0, fixed(new Cell[][] {{Cell.text("Secret")}, {Cell.number(42)}}), 1));
        byId.put(privateId, finance);
    }

    public String leadsSpreadsheetId() { return leadsId; }
    public String privateSpreadsheetId() { return privateId; }

    public Optional<Spreadsheet> get(String id) {
        return Optional.ofNullable(byId.get(id)).filter(s -> !s.deleted());
    }

    public Collection<Spreadsheet> all() {
        return byId.values();
    }

    private static Cell[][] bobsImport() {
        Cell[][] rows = new Cell[8][];
        rows[0] = new Cell[] {Cell.text("Who"), Cell.text("Contact"), null, Cell.text("Where"), Cell.text("Money"), null};
        rows[1] = new Cell[] {Cell.text("Company"), Cell.text("First Name"), Cell.text("Last Name"), Cell.text("Country"),
                Cell.text("Deal Size"), Cell.text("Total")};
        String[][] data = {{"Acme GmbH", "Bob", "O'Neil", "Germany", "1200"}, {"Globex Ltd", "Sue", "Park", "United Kingdom", "n/a"},
                {"Hooli", "Raj", "Patel", "United States", "3,400"}, {"Hooli", "Raj", "Patel", "United States", "3,400"},
                {"Pied Piper", "Ana", "Lopes", "Spain", "980.5"}};
        for (int i = 0; i < data.length; i++) {
            String[] d = data[i];
            rows[i + 2] = new Cell[] {Cell.text(d[0]), Cell.text(d[1]), Cell.text(d[2]), Cell.text(d[3]), Cell.text(d[4])};
        }
        rows[7] = new Cell[] {null, null, null, null, Cell.text("sum"), Cell.formula("=SUM(E3:E7)", 2180.5)};
        return rows;
    }

    private static Cell[][] leads2026() {
        return new Cell[][] {
                {Cell.text("Company"), Cell.text("First Name"), Cell.text("Last Name"), Cell.text("Country"), Cell.text("Created"), Cell.text("Won")},
                {Cell.text("Umbrella AG"), Cell.text("Elif"), Cell.text("Yilmaz"), Cell.text("Austria"), Cell.date(java.time.LocalDate.of(2026, 1, 5)), new Cell(true, Cell.Format.GENERAL, null)},
                {Cell.text("Wayne Enterprises"), Cell.text("Ben"), Cell.text("Smith"), Cell.text("United States"), Cell.date(java.time.LocalDate.of(2026, 2, 14)), new Cell(false, Cell.Format.GENERAL, null)},
                {},
                {Cell.text("Hooli"), Cell.text("Wen"), Cell.text("Tanaka"), Cell.text(""), Cell.date(java.time.LocalDate.of(2026, 3, 1))}};
    }

    static Tab.RowSource fixed(Cell[][] rows) {
        return new Tab.RowSource() {
            @Override public Cell[] row(int index) { return index < rows.length ? rows[index] : null; }
            @Override public int rowCount() { return rows.length; }
        };
    }

    /** 44 URL-safe characters, like Google's ids, stable for a seed. */
    static String spreadsheetId(long seed, String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((seed + ":" + name).getBytes(StandardCharsets.UTF_8));
            return "1" + Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 43);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
