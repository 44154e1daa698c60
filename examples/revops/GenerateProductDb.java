import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes the RevOps example's product database as SQL for psql: schema {@code product} with users, teams,
 * team_membership and transactions, as a SaaS product's own database holds them (story 1 in PRODUCT.md).
 *
 * <p>The data is messy the way real data is: team names that differ from CRM company names in case, punctuation
 * and legal suffixes ("ACME inc" vs "Acme, Inc."), users whose email case differs, some users in no team, some in
 * several, refunds as negative transactions, several currencies, timestamps over two years relative to today and
 * {@code updated_at} columns for incremental syncs.
 *
 * <p>Run with a JDK 21+: {@code java GenerateProductDb.java [--users N] [--seed N] [--schema NAME] | psql URL}. Rerunning replaces
 * the schema. {@code --touch N} instead prints SQL that updates N random transactions and adds N new ones, to
 * show an incremental sync picking up changes.
 */
public final class GenerateProductDb {
    static final String[] COMPANY_WORDS = {"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
        "Tyrell", "Cyberdyne", "Wonka", "Aperture", "Massive Dynamic", "Pied Piper", "Gringotts", "Oceanic", "Monarch", "Nakatomi",
        "Blue Sun", "Dunder Mifflin", "Sterling Cooper", "Prestige Worldwide", "Bluth", "Los Pollos"};
    static final String[] SUFFIXES = {"Inc.", "inc", ", Inc.", "GmbH", "Ltd", "Ltd.", "LLC", "S.A.", "B.V.", "AB", "plc", ""};
    static final String[] FIRST = {"Ana", "Ben", "Chloé", "David", "Emma", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
        "Mateo", "Nora", "Omar", "Priya", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yusuf", "Zoë"};
    static final String[] LAST = {"Garcia", "Muller", "Smith", "Rossi", "Dubois", "Nakamura", "Okafor", "Kowalski", "Johansson",
        "O'Brien", "Silva", "Nguyen", "Patel", "Schmidt", "Haddad", "Moreau", "Kim", "Costa", "Novak", "Murphy"};
    static final String[] PLANS = {"free", "starter", "team", "business", "enterprise"};
    static final String[] CURRENCIES = {"USD", "USD", "USD", "EUR", "EUR", "GBP", "JPY"};
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A change time never after the generation time: a later change (now()) must sort after every generated one. */
    static LocalDateTime past(LocalDateTime t, LocalDateTime now) {
        return t.isAfter(now) ? now.minusSeconds(1) : t;
    }

    public static void main(String[] args) {
        int users = 2_000;
        long seed = 42;
        int touch = -1;
        String schema = "product";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--users" -> users = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--touch" -> touch = Integer.parseInt(args[i + 1]);
                case "--schema" -> schema = args[i + 1];
                default -> {
                    System.err.println("usage: java GenerateProductDb.java [--users N] [--seed N] [--touch N] [--schema NAME]");
                    System.exit(2);
                }
            }
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (touch > 0) {
            touch(out, schema, touch, new Random(System.nanoTime()));
        } else {
            generate(out, schema, users, new Random(seed));
        }
        out.flush();
    }

    static void generate(PrintStream out, String schema, int users, Random r) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
        out.println("BEGIN;");
        out.println("DROP SCHEMA IF EXISTS " + schema + " CASCADE;");
        out.println("CREATE SCHEMA " + schema + ";");
        out.println("CREATE TABLE " + schema + ".teams (id bigint PRIMARY KEY, name text NOT NULL, plan text NOT NULL, seats int NOT NULL,"
                + " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);");
        out.println("CREATE TABLE " + schema + ".users (id bigint PRIMARY KEY, email text NOT NULL, first_name text, last_name text,"
                + " country text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);");
        out.println("CREATE TABLE " + schema + ".team_membership (team_id bigint REFERENCES " + schema + ".teams, user_id bigint REFERENCES " + schema + ".users,"
                + " role text NOT NULL, joined_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (team_id, user_id));");
        out.println("CREATE TABLE " + schema + ".transactions (id bigint PRIMARY KEY, user_id bigint REFERENCES " + schema + ".users,"
                + " team_id bigint REFERENCES " + schema + ".teams, amount numeric(12,2) NOT NULL, currency char(3) NOT NULL, status text NOT NULL,"
                + " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);");
        out.println("CREATE INDEX ON " + schema + ".transactions (updated_at, id);");

        List<Long> teams = new ArrayList<>();
        out.println("INSERT INTO " + schema + ".teams VALUES");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < COMPANY_WORDS.length * 2; i++) {
            String word = COMPANY_WORDS[i % COMPANY_WORDS.length];
            String name = i < COMPANY_WORDS.length ? mess(word + " " + SUFFIXES[r.nextInt(SUFFIXES.length)], r) : word + " Labs " + (i - COMPANY_WORDS.length);
            LocalDateTime created = now.minusDays(60 + r.nextInt(700));
            rows.add("(" + (i + 1) + ", " + q(name.strip()) + ", " + q(PLANS[r.nextInt(PLANS.length)]) + ", " + (1 + r.nextInt(200)) + ", "
                    + ts(created) + ", " + ts(past(created.plusDays(r.nextInt(60)), now)) + ")");
            teams.add((long) i + 1);
        }
        out.println(String.join(",\n", rows) + ";");

        rows.clear();
        List<long[]> memberships = new ArrayList<>();
        for (int u = 1; u <= users; u++) {
            String first = FIRST[r.nextInt(FIRST.length)];
            String last = LAST[r.nextInt(LAST.length)];
            long team = teams.get(r.nextInt(teams.size()));
            String domain = COMPANY_WORDS[(int) ((team - 1) % COMPANY_WORDS.length)].toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "") + ".example";
            String email = (first + "." + last + u).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "") + "@" + domain;
            if (r.nextInt(10) == 0) email = email.toUpperCase(Locale.ROOT).charAt(0) + email.substring(1);
            LocalDateTime created = now.minusDays(r.nextInt(700)).minusMinutes(r.nextInt(1440));
            rows.add("(" + u + ", " + q(email) + ", " + q(first) + ", " + q(last) + ", " + q(r.nextInt(8) == 0 ? null : "US") + ", "
                    + ts(created) + ", " + ts(past(created.plusDays(r.nextInt(30)), now)) + ")");
            if (r.nextInt(12) != 0) memberships.add(new long[] {team, u});
            if (r.nextInt(15) == 0) memberships.add(new long[] {teams.get(r.nextInt(teams.size())), u});
        }
        insert(out, schema + ".users", rows);

        rows.clear();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (long[] m : memberships) {
            if (!seen.add(m[0] + "/" + m[1])) continue;
            LocalDateTime joined = now.minusDays(r.nextInt(600));
            rows.add("(" + m[0] + ", " + m[1] + ", " + q(r.nextInt(6) == 0 ? "admin" : "member") + ", " + ts(joined) + ", " + ts(joined) + ")");
        }
        insert(out, schema + ".team_membership", rows);

        rows.clear();
        long id = 1;
        for (long[] m : memberships) {
            int count = r.nextInt(8);
            for (int t = 0; t < count; t++) {
                LocalDateTime at = now.minusDays(r.nextInt(700)).minusMinutes(r.nextInt(1440));
                boolean refund = r.nextInt(20) == 0;
                BigDecimal amount = BigDecimal.valueOf(5 + r.nextInt(2000) + r.nextInt(100) / 100.0).setScale(2, RoundingMode.HALF_UP);
                rows.add("(" + id++ + ", " + m[1] + ", " + m[0] + ", " + (refund ? amount.negate() : amount) + ", "
                        + q(CURRENCIES[r.nextInt(CURRENCIES.length)]) + ", " + q(refund ? "refunded" : r.nextInt(30) == 0 ? "failed" : "paid")
                        + ", " + ts(at) + ", " + ts(past(at.plusMinutes(r.nextInt(120)), now)) + ")");
            }
        }
        insert(out, schema + ".transactions", rows);
        out.println("COMMIT;");
        System.err.printf("product database: %d teams, %d users, %d memberships, %d transactions%n", teams.size(), users, seen.size(), id - 1);
    }

    /** SQL that changes the data as a live product would between two syncs. */
    static void touch(PrintStream out, String schema, int n, Random r) {
        out.println("BEGIN;");
        out.println("UPDATE " + schema + ".transactions SET status = 'refunded', amount = -abs(amount), updated_at = now()"
                + " WHERE id IN (SELECT id FROM " + schema + ".transactions ORDER BY random() LIMIT " + n + ");");
        out.println("INSERT INTO " + schema + ".transactions SELECT (SELECT max(id) FROM " + schema + ".transactions) + g, m.user_id, m.team_id,"
                + " round((random() * 500 + 5)::numeric, 2), 'USD', 'paid', now(), now()"
                + " FROM generate_series(1, " + n + ") g, LATERAL (SELECT user_id, team_id FROM " + schema + ".team_membership"
                + " ORDER BY random() + g * 0 LIMIT 1) m;");
        out.println("COMMIT;");
        System.err.printf("touched %d transactions and added %d%n", n, n);
    }

    /** Company names as people type them: odd case, stray punctuation, doubled spaces. */
    static String mess(String name, Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> name.toUpperCase(Locale.ROOT);
            case 1 -> name.toLowerCase(Locale.ROOT);
            case 2 -> name.replace(" ", "  ");
            case 3 -> name.replace(".", "");
            default -> name;
        };
    }

    static void insert(PrintStream out, String table, List<String> rows) {
        for (int i = 0; i < rows.size(); i += 1000) {
            out.println("INSERT INTO " + table + " VALUES\n" + String.join(",\n", rows.subList(i, Math.min(rows.size(), i + 1000))) + ";");
        }
    }

    static String q(String s) {
        return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
    }

    static String ts(LocalDateTime t) {
        return "'" + TS.format(t) + "+00'";
    }
}
