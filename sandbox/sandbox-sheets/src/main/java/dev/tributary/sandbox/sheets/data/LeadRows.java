package dev.tributary.sandbox.sheets.data;

import java.time.LocalDate;
import java.util.List;

/**
 * A generated lead list, as operators keep one: a header row then {@code leads} rows, computed from
 * {@code hash(seed, row, column)} on demand. The mess is deliberate and stable for a seed: about 1 in 60 rows is
 * blank, values carry stray spaces, ~2 % of leads repeat an earlier lead (same company, name and country), the
 * created date is typed three ways (a real date cell, "2026-03-01" text, "01/03/2026" text), the deal size is a
 * currency number, a plain number, text ("1.200,50", "1,200") or empty, some phone numbers are numbers, some
 * deal sizes are formulas, and the notes column is mostly empty (so rows are trimmed short).
 */
public final class LeadRows implements Tab.RowSource {
    public static final List<String> HEADER = List.of("Company", "First Name", "Last Name", " Email ", "Phone", "Country",
            "Lead Source", "Status", "Created", "Deal Size", "Owner", "Notes");
    public static final int COLUMNS = HEADER.size();
    /** The day the generated data ends; created dates fall in the two years before. */
    public static final LocalDate ANCHOR = LocalDate.of(2026, 11, 30);

    private static final String[] COMPANIES = {"Acme GmbH", "Globex Ltd", "Initech Inc.", "Umbrella AG", "Stark Industries",
            "Wayne Enterprises", "Hooli", "Vandelay Imports", "Soylent Corp", "Tyrell Corporation", "Cyberdyne Systems",
            "Wonka Industries", "Oceanic Airlines", "Massive Dynamic", "Aperture Science", "Black Mesa", "Gringotts",
            "Duff Beer", "Pied Piper", "Dunder Mifflin", "Prestige Worldwide", "Monarch Solutions", "Nakatomi Trading",
            "Blue Sun", "Virtucon", "Sirius Cybernetics", "Ollivanders", "Bluth Company", "Kramerica", "Los Pollos Hermanos"};
    private static final String[] FIRST = {"Anna", "Ben", "Chloé", "David", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas",
            "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vera", "Wen", "Yusuf", "Zoe"};
    private static final String[] LAST = {"Müller", "Smith", "O'Brien", "Nguyen", "García", "Rossi", "Kowalski", "Schmidt",
            "Dubois", "Jansen", "Silva", "Yilmaz", "Andersson", "Novak", "Tanaka", "Okafor", "Kaur", "Ivanova", "Meyer", "Costa"};
    private static final String[] COUNTRIES = {"Germany", "France", "United Kingdom", "Netherlands", "Spain", "Italy", "Poland",
            "Sweden", "United States", "Austria"};
    private static final String[] SOURCES = {"Website", "Trade fair", "Referral", "Cold call", "LinkedIn", "Webinar"};
    private static final String[] STATUSES = {"New", "Contacted", "Qualified", "Proposal", "Won", "Lost"};
    private static final String[] OWNERS = {"Mara Lindqvist", "Tom Becker", "Aylin Demir", "José Ortega", "Kim Park"};

    private final long seed;
    private final int leads;

    public LeadRows(long seed, int leads) {
        if (leads < 0) throw new IllegalArgumentException("leads must be >= 0: " + leads);
        this.seed = seed;
        this.leads = leads;
    }

    @Override
    public int rowCount() {
        return leads + 1;
    }

    @Override
    public Cell[] row(int index) {
        if (index == 0) return HEADER.stream().map(Cell::text).toArray(Cell[]::new);
        if (index > leads) return null;
        if (h(index, 99) % 60 == 7) return null; // a blank row an operator left
        int who = index;
        if (index > 20 && h(index, 98) % 50 == 3) who = index - 1 - (int) (h(index, 97) % 20); // a duplicate lead
        Cell[] row = new Cell[COLUMNS];
        String company = pick(COMPANIES, who, 0);
        String first = pick(FIRST, who, 1);
        String last = pick(LAST, who, 2);
        String country = pick(COUNTRIES, who, 5);
        row[0] = Cell.text(spaced(company, index, 0));
        row[1] = Cell.text(spaced(first, index, 1));
        row[2] = Cell.text(last);
        String email = ascii(first) + "." + ascii(last) + (who % 7 == 0 ? "" : Integer.toString(who)) + "@" + domain(company);
        row[3] = Cell.text(h(index, 3) % 13 == 0 ? email.toUpperCase(java.util.Locale.ROOT) : email);
        long phone = 4930_0000_0000L + h(who, 4) % 1_0000_0000L;
        row[4] = h(index, 4) % 4 == 0 ? Cell.number(phone) : Cell.text("+" + phone);
        row[5] = Cell.text(h(index, 5) % 17 == 0 ? country.toLowerCase(java.util.Locale.ROOT) + " " : country);
        row[6] = Cell.text(pick(SOURCES, index, 6));
        row[7] = Cell.text(pick(STATUSES, index, 7));
        LocalDate created = ANCHOR.minusDays(h(who, 8) % 730);
        long way = h(index, 18) % 10;
        row[8] = way < 6 ? Cell.date(created)
                : way < 8 ? Cell.text(created.toString())
                : Cell.text(String.format(java.util.Locale.ROOT, "%02d/%02d/%d", created.getDayOfMonth(), created.getMonthValue(), created.getYear()));
        long cents = 50_000 + h(who, 9) % 5_000_000;
        double amount = cents / 100.0;
        long kind = h(index, 19) % 20;
        row[9] = kind < 10 ? Cell.currency(amount)
                : kind < 14 ? Cell.number(Math.round(amount))
                : kind == 14 ? Cell.formula("=" + Math.round(amount / 1.1) + "*1.1", Math.round(amount / 1.1) * 1.1)
                : kind == 15 ? Cell.text(germanNumber(amount))
                : kind == 16 ? Cell.text(String.format(java.util.Locale.US, "%,d", Math.round(amount)))
                : null;
        row[10] = Cell.text(pick(OWNERS, index, 10));
        long note = h(index, 11) % 8;
        row[11] = note == 0 ? Cell.text("call back after " + pick(new String[]{"Easter", "the fair", "Q1", "budget review"}, index, 12))
                : note == 1 ? Cell.text("  ") : null;
        return trim(row);
    }

    private static Cell[] trim(Cell[] row) {
        int n = row.length;
        while (n > 0 && Cell.isEmpty(row[n - 1])) n--;
        return n == row.length ? row : java.util.Arrays.copyOf(row, n);
    }

    private String spaced(String s, int index, int col) {
        long k = h(index, 40 + col) % 25;
        return k == 0 ? " " + s : k == 1 ? s + "  " : s;
    }

    private static String germanNumber(double amount) {
        String us = String.format(java.util.Locale.US, "%,.2f", amount);
        return us.replace(',', '_').replace('.', ',').replace('_', '.');
    }

    private static String domain(String company) {
        return ascii(company.split(" ")[0]) + ".example";
    }

    private static String ascii(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("[^A-Za-z]", "").toLowerCase(java.util.Locale.ROOT);
    }

    private String pick(String[] from, int index, int col) {
        return from[(int) (h(index, col) % from.length)];
    }

    private long h(long index, int col) {
        long x = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + col * 0x94D049BB133111EBL;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return (x ^ (x >>> 31)) & Long.MAX_VALUE;
    }
}
