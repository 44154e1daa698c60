import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

/**
 * Writes the RevOps example's product database as SQL for psql: schema {@code product} with users, teams,
 * team_membership and transactions, as a SaaS product's own database holds them (story 1 in PRODUCT.md).
 *
 * <p>The product database agrees with the CRM the way real data does, messily. With {@code --from-duckdb PATH} (or
 * {@code --from-jdbc URL}) it reads the HubSpot companies and contacts a sync already loaded into the warehouse
 * (schema {@code hubspot}, or {@code --hubspot-schema NAME}) and derives from them:
 * <ul>
 *   <li>teams named after companies, as people type them: the same name, the name without its legal suffix, another
 *       suffix ("Acme Inc." vs "ACME, INC" vs "acme llc"), odd case, punctuation and spaces, "&amp; Co."; some
 *       companies get two teams (near-duplicates), some none; some teams are renamed (matching the company only
 *       through their members' email domain) and some match no company at all ("Personal", "Silver Ventures");
 *   <li>users whose emails are the contacts' emails (most of a team's company's contacts, not all; some with upper
 *       case or stray spaces), users not in HubSpot (new hires on the company domain, free-mail sign-ups), and
 *       contacts that never became users;
 *   <li>memberships (a few users in two teams, some in none) and transactions in the team's currency, refunds as
 *       negative amounts, some failed payments, timestamps over two years relative to today and {@code updated_at}
 *       columns for incremental syncs.
 * </ul>
 * Without a CRM to read it invents its companies (the product database then agrees with nothing).
 *
 * <p>Run with a JDK 21+, with the Tributary jar on the class path for the DuckDB or PostgreSQL driver:
 * {@code java -cp cli/target/tributary.jar GenerateProductDb.java --from-duckdb warehouse.duckdb [--users N] [--seed N]
 * [--schema NAME] | psql URL}. Rerunning replaces the schema. {@code --touch N} instead prints SQL that updates N random
 * transactions and adds N new ones, to show an incremental sync picking up changes.
 */
public final class GenerateProductDb {
    static final String[] OWN_WORDS = {"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
        "Tyrell", "Cyberdyne", "Wonka", "Aperture", "Massive Dynamic", "Pied Piper", "Gringotts", "Oceanic", "Monarch", "Nakatomi",
        "Blue Sun", "Dunder Mifflin", "Sterling Cooper", "Prestige Worldwide", "Bluth", "Los Pollos"};
    /** Legal suffixes as they are found at the end of a name (longest first); used to find a company's stem. */
    static final String[] LEGAL = {"pty ltd", "inc.", "inc", "gmbh", "ltd.", "ltd", "llc", "s.a.", "b.v.", "ag", "sas", "k.k.", "plc", "corp.", "limited"};
    static final String[] OTHER_SUFFIXES = {" Inc.", " Inc", ", Inc.", " LLC", " Ltd", " Limited", " GmbH", " Corp.", " AG"};
    static final String[] UNMATCHED_TEAMS = {"Personal", "Test team", "My workspace", "Moonbeam Studio", "Kettle & Crumb", "Northwind Traders",
        "Zephyr Collective", "Old account (do not use)", "Hackathon 2024", "Freelance"};
    static final String[] FREE_MAIL = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "gmx.de", "proton.me"};
    static final String[] FIRST = {"Ana", "Ben", "Chloé", "David", "Emma", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
        "Mateo", "Nora", "Omar", "Priya", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yusuf", "Zoë"};
    static final String[] LAST = {"Garcia", "Muller", "Smith", "Rossi", "Dubois", "Nakamura", "Okafor", "Kowalski", "Johansson",
        "O'Brien", "Silva", "Nguyen", "Patel", "Schmidt", "Haddad", "Moreau", "Kim", "Costa", "Novak", "Murphy"};
    static final String[] PLANS = {"free", "starter", "team", "business", "enterprise"};
    static final String[] CURRENCIES = {"USD", "USD", "USD", "EUR", "EUR", "GBP", "JPY"};
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    record Company(long id, String name, String domain) {}
    record Contact(String email, long companyId, String first, String last) {}
    record Team(long id, String name, Company company, String currency) {}
    record User(String email, String first, String last, Team team) {}

    /** A change time never after the generation time: a later change (now()) must sort after every generated one. */
    static LocalDateTime past(LocalDateTime t, LocalDateTime now) {
        return t.isAfter(now) ? now.minusSeconds(1) : t;
    }

    public static void main(String[] args) throws Exception {
        int users = 2_000;
        long seed = 42;
        int touch = -1;
        String schema = "product";
        String jdbc = null;
        String hubspotSchema = "hubspot";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--users" -> users = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--touch" -> touch = Integer.parseInt(args[i + 1]);
                case "--schema" -> schema = args[i + 1];
                case "--from-duckdb" -> jdbc = "jdbc:duckdb:" + args[i + 1];
                case "--from-jdbc" -> jdbc = args[i + 1];
                case "--hubspot-schema" -> hubspotSchema = args[i + 1];
                default -> usage();
            }
        }
        if (args.length % 2 != 0) usage();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (touch > 0) {
            touch(out, schema, touch, new Random(System.nanoTime()));
        } else {
            List<Company> companies = new ArrayList<>();
            List<Contact> contacts = new ArrayList<>();
            if (jdbc != null) readCrm(jdbc, hubspotSchema, companies, contacts);
            else for (int i = 0; i < OWN_WORDS.length; i++) companies.add(new Company(i + 1, OWN_WORDS[i] + " Inc.", slug(OWN_WORDS[i]) + ".example"));
            generate(out, schema, users, new Random(seed), companies, contacts);
        }
        out.flush();
    }

    static void usage() {
        System.err.println("usage: java -cp tributary.jar GenerateProductDb.java [--from-duckdb PATH | --from-jdbc URL] [--hubspot-schema NAME]"
                + " [--users N] [--seed N] [--touch N] [--schema NAME]");
        System.exit(2);
    }

    /** The live (not archived, not merged) companies and contacts with an email, in id order. */
    static void readCrm(String url, String hubspot, List<Company> companies, List<Contact> contacts) throws Exception {
        Properties props = new Properties();
        if (url.startsWith("jdbc:duckdb:")) props.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement()) {
            String live = " where not coalesce(archived, false) and merged_into_id is null";
            try (ResultSet rs = s.executeQuery("select cast(id as bigint), name, domain from " + hubspot + ".companies" + live
                    + " and name is not null order by 1")) {
                while (rs.next()) companies.add(new Company(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
            try (ResultSet rs = s.executeQuery("select cast(id as bigint), email, cast(associatedcompanyid as bigint), firstname, lastname from "
                    + hubspot + ".contacts" + live + " and email is not null order by 1")) {
                while (rs.next()) contacts.add(new Contact(rs.getString(2), rs.getObject(3) == null ? -1 : rs.getLong(3), rs.getString(4), rs.getString(5)));
            }
        }
        if (companies.isEmpty()) throw new IllegalStateException("no companies in " + hubspot + ".companies at " + url + ": sync HubSpot first");
    }

    static void generate(PrintStream out, String schema, int userCount, Random r, List<Company> companies, List<Contact> contacts) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
        Map<Long, List<Contact>> byCompany = new LinkedHashMap<>();
        List<Contact> companyless = new ArrayList<>();
        for (Contact c : contacts) {
            if (c.companyId() < 0) companyless.add(c);
            else byCompany.computeIfAbsent(c.companyId(), k -> new ArrayList<>()).add(c);
        }

        // Teams: about three companies in four have one, a few two (near-duplicates); then teams matching no company.
        List<Team> teams = new ArrayList<>();
        for (Company c : companies) {
            if (r.nextInt(4) == 0) continue;
            teams.add(new Team(teams.size() + 1, teamName(c.name(), r), c, CURRENCIES[r.nextInt(CURRENCIES.length)]));
            if (r.nextInt(16) == 0) teams.add(new Team(teams.size() + 1, teamName(c.name(), r), c, CURRENCIES[r.nextInt(CURRENCIES.length)]));
        }
        int unmatched = Math.max(4, teams.size() / 8);
        for (int i = 0; i < unmatched; i++) {
            String name = i % 3 == 0 && !companies.isEmpty()
                    ? firstWord(companies.get(r.nextInt(companies.size())).name()) + " Ventures"   // shares a word with companies, is none of them
                    : UNMATCHED_TEAMS[r.nextInt(UNMATCHED_TEAMS.length)];
            teams.add(new Team(teams.size() + 1, name, null, CURRENCIES[r.nextInt(CURRENCIES.length)]));
        }

        // Users: most of a team's company's contacts, a new hire or two on the company's domain, free-mail sign-ups.
        List<User> candidates = new ArrayList<>();
        Set<String> emails = new HashSet<>();
        int hire = 0;
        for (Team t : teams) {
            if (t.company() != null) {
                for (Contact c : byCompany.getOrDefault(t.company().id(), List.of())) {
                    if (r.nextInt(10) < 7 && emails.add(c.email().toLowerCase(Locale.ROOT))) {
                        candidates.add(new User(messEmail(c.email(), r), c.first(), c.last(), t));
                    }
                }
                int hires = t.company().domain() == null ? 0 : r.nextInt(3);
                for (int h = 0; h < hires; h++) {
                    String first = FIRST[r.nextInt(FIRST.length)], last = LAST[r.nextInt(LAST.length)];
                    String email = slug(first) + "." + slug(last) + ".new" + (++hire) + "@" + t.company().domain().toLowerCase(Locale.ROOT);
                    if (emails.add(email)) candidates.add(new User(email, first, last, t));
                }
            } else {
                int size = 1 + r.nextInt(4);
                String own = t.name().startsWith("Personal") || r.nextBoolean() ? null : slug(t.name()) + "-" + t.id() + ".example";
                for (int m = 0; m < size; m++) {
                    String first = FIRST[r.nextInt(FIRST.length)], last = LAST[r.nextInt(LAST.length)];
                    String email = slug(first) + "." + slug(last) + ".t" + t.id() + "m" + m + "@" + (own != null ? own : FREE_MAIL[r.nextInt(FREE_MAIL.length)]);
                    if (emails.add(email)) candidates.add(new User(email, first, last, t));
                }
            }
        }
        for (Contact c : companyless) { // contacts on free mail without a company: some signed up on their own
            if (r.nextInt(4) == 0 && emails.add(c.email().toLowerCase(Locale.ROOT))) {
                candidates.add(new User(messEmail(c.email(), r), c.first(), c.last(), r.nextInt(3) == 0 ? teams.get(r.nextInt(teams.size())) : null));
            }
        }
        if (candidates.size() > userCount) {
            Collections.shuffle(candidates, r);
            candidates = new ArrayList<>(candidates.subList(0, userCount));
        }
        for (int u = 1; candidates.size() < userCount; u++) { // sign-ups nobody in sales has heard of
            String first = FIRST[r.nextInt(FIRST.length)], last = LAST[r.nextInt(LAST.length)];
            String email = slug(first) + "." + slug(last) + ".s" + u + "@" + FREE_MAIL[r.nextInt(FREE_MAIL.length)];
            if (emails.add(email)) candidates.add(new User(email, first, last, r.nextInt(3) == 0 ? null : teams.get(r.nextInt(teams.size()))));
        }

        out.println("BEGIN;");
        out.println("DROP SCHEMA IF EXISTS " + schema + " CASCADE;");
        out.println("CREATE SCHEMA " + schema + ";");
        out.println("CREATE TABLE " + schema + ".teams (id bigint PRIMARY KEY, name text NOT NULL, plan text NOT NULL, seats int NOT NULL,"
                + " currency char(3) NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);");
        out.println("CREATE TABLE " + schema + ".users (id bigint PRIMARY KEY, email text NOT NULL, first_name text, last_name text,"
                + " country text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);");
        out.println("CREATE TABLE " + schema + ".team_membership (team_id bigint REFERENCES " + schema + ".teams, user_id bigint REFERENCES " + schema + ".users,"
                + " role text NOT NULL, joined_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (team_id, user_id));");
        out.println("CREATE TABLE " + schema + ".transactions (id bigint PRIMARY KEY, user_id bigint REFERENCES " + schema + ".users,"
                + " team_id bigint REFERENCES " + schema + ".teams, amount numeric(12,2) NOT NULL, currency char(3) NOT NULL, status text NOT NULL,"
                + " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);");
        out.println("CREATE INDEX ON " + schema + ".transactions (updated_at, id);");

        List<String> rows = new ArrayList<>();
        for (Team t : teams) {
            LocalDateTime created = now.minusDays(60 + r.nextInt(700));
            rows.add("(" + t.id() + ", " + q(t.name()) + ", " + q(PLANS[r.nextInt(PLANS.length)]) + ", " + (1 + r.nextInt(200)) + ", " + q(t.currency()) + ", "
                    + ts(created) + ", " + ts(past(created.plusDays(r.nextInt(60)), now)) + ")");
        }
        insert(out, schema + ".teams", rows);

        rows.clear();
        List<long[]> memberships = new ArrayList<>();
        for (int u = 1; u <= candidates.size(); u++) {
            User user = candidates.get(u - 1);
            LocalDateTime created = now.minusDays(r.nextInt(700)).minusMinutes(r.nextInt(1440));
            rows.add("(" + u + ", " + q(user.email()) + ", " + q(user.first()) + ", " + q(user.last()) + ", " + q(r.nextInt(8) == 0 ? null : "US") + ", "
                    + ts(created) + ", " + ts(past(created.plusDays(r.nextInt(30)), now)) + ")");
            if (user.team() != null) memberships.add(new long[] {user.team().id(), u});
            if (r.nextInt(15) == 0) memberships.add(new long[] {teams.get(r.nextInt(teams.size())).id(), u});
        }
        insert(out, schema + ".users", rows);

        rows.clear();
        Set<String> seen = new HashSet<>();
        List<long[]> unique = new ArrayList<>();
        for (long[] m : memberships) {
            if (!seen.add(m[0] + "/" + m[1])) continue;
            unique.add(m);
            LocalDateTime joined = now.minusDays(r.nextInt(600));
            rows.add("(" + m[0] + ", " + m[1] + ", " + q(r.nextInt(6) == 0 ? "admin" : "member") + ", " + ts(joined) + ", " + ts(joined) + ")");
        }
        insert(out, schema + ".team_membership", rows);

        rows.clear();
        long id = 1;
        for (long[] m : unique) {
            String currency = teams.get((int) m[0] - 1).currency();
            int count = r.nextInt(8);
            for (int t = 0; t < count; t++) {
                LocalDateTime at = now.minusDays(r.nextInt(700)).minusMinutes(r.nextInt(1440));
                boolean refund = r.nextInt(20) == 0;
                BigDecimal amount = BigDecimal.valueOf(5 + r.nextInt(2000) + r.nextInt(100) / 100.0).setScale(2, RoundingMode.HALF_UP);
                rows.add("(" + id++ + ", " + m[1] + ", " + m[0] + ", " + (refund ? amount.negate() : amount) + ", " + q(currency) + ", "
                        + q(refund ? "refunded" : r.nextInt(30) == 0 ? "failed" : "paid")
                        + ", " + ts(at) + ", " + ts(past(at.plusMinutes(r.nextInt(120)), now)) + ")");
            }
        }
        insert(out, schema + ".transactions", rows);
        out.println("COMMIT;");
        System.err.printf("product database: %d teams (%d named after no company), %d users, %d memberships, %d transactions; from %d companies and %d contacts%n",
                teams.size(), unmatched, candidates.size(), unique.size(), id - 1, companies.size(), contacts.size());
    }

    /** A company's name as someone typed it for the product's team. */
    static String teamName(String company, Random r) {
        String stem = stem(company);
        return switch (r.nextInt(12)) {
            case 0, 1 -> company;                                                    // the same
            case 2 -> stem;                                                          // "Acme"
            case 3 -> stem.toUpperCase(Locale.ROOT) + ", INC";                       // "ACME, INC"
            case 4 -> stem + OTHER_SUFFIXES[r.nextInt(OTHER_SUFFIXES.length)];       // another legal suffix
            case 5 -> company.toLowerCase(Locale.ROOT).replace(".", "").replace(",", ""); // "acme inc"
            case 6 -> stem.replace(" ", "  ") + " ltd.";                             // doubled spaces
            case 7 -> " " + company + " ";                                           // stray spaces
            case 8 -> stem + " & Co.";
            case 9 -> stem.toLowerCase(Locale.ROOT);
            case 10 -> stem.replace(" ", "") + " HQ";                                // renamed: only the members' domain tells
            default -> stem + " (" + (r.nextBoolean() ? "EMEA" : "US") + ")";        // a regional team: domain again
        };
    }

    /** The name without its legal suffix(es): "ACME, Inc" -> "ACME", "Atlas Media Pty Ltd" -> "Atlas Media". */
    static String stem(String name) {
        String s = name.strip();
        boolean again = true;
        while (again) {
            again = false;
            for (String suffix : LEGAL) {
                String lower = s.toLowerCase(Locale.ROOT);
                if (lower.endsWith(" " + suffix) || lower.endsWith("," + suffix)) {
                    s = s.substring(0, s.length() - suffix.length()).replaceAll("[\\s,]+$", "");
                    again = true;
                    break;
                }
            }
        }
        return s.isEmpty() ? name.strip() : s;
    }

    static String firstWord(String name) {
        String s = stem(name);
        int space = s.indexOf(' ');
        String w = space < 0 ? s : s.substring(0, space);
        return w.isEmpty() ? "Nova" : Character.toUpperCase(w.charAt(0)) + w.substring(1).toLowerCase(Locale.ROOT);
    }

    /** Emails as sign-up forms keep them: mostly as in the CRM, some capitalised, shouted or with a stray space. */
    static String messEmail(String email, Random r) {
        return switch (r.nextInt(20)) {
            case 0, 1 -> Character.toUpperCase(email.charAt(0)) + email.substring(1);
            case 2 -> email.toUpperCase(Locale.ROOT);
            case 3 -> email + " ";
            default -> email;
        };
    }

    static String slug(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** SQL that changes the data as a live product would between two syncs. */
    static void touch(PrintStream out, String schema, int n, Random r) {
        out.println("BEGIN;");
        out.println("UPDATE " + schema + ".transactions SET status = 'refunded', amount = -abs(amount), updated_at = now()"
                + " WHERE id IN (SELECT id FROM " + schema + ".transactions ORDER BY random() LIMIT " + n + ");");
        out.println("INSERT INTO " + schema + ".transactions SELECT (SELECT max(id) FROM " + schema + ".transactions) + g, m.user_id, m.team_id,"
                + " round((random() * 500 + 5)::numeric, 2), t.currency, 'paid', now(), now()"
                + " FROM generate_series(1, " + n + ") g, LATERAL (SELECT user_id, team_id FROM " + schema + ".team_membership"
                + " ORDER BY random() + g * 0 LIMIT 1) m JOIN " + schema + ".teams t ON t.id = m.team_id;");
        out.println("COMMIT;");
        System.err.printf("touched %d transactions and added %d%n", n, n);
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
