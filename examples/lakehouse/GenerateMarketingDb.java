import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the lakehouse example's "Redshift" tables as SQL for psql: schema {@code marketing} (or {@code --schema NAME})
 * with {@code campaigns}, {@code web_analytics} (sessions with their UTM campaign) and {@code product_events} (sign-ups,
 * activations and purchases by email), as story 3's Amazon Redshift warehouse holds them. PostgreSQL stands in for
 * Redshift: the example reads it through the {@code redshift} source type.
 *
 * <p>Product users are HubSpot contacts: with {@code --hubspot-url URL --hubspot-token TOKEN} (or HUBSPOT_BASE_URL and
 * HUBSPOT_TOKEN) the contacts' emails are read from HubSpot's API (the local sandbox or a real account), and about a
 * third of them sign up through a campaign, some shouted or with a stray space; other sign-ups use free mail, a few
 * type a broken address. The data is flawed on purpose, for story 3's checks: a campaign with a negative spend (a
 * credit note), sessions with a negative duration, events without an email.
 *
 * <p>Deterministic: the same {@code --seed}, the same HubSpot and the same day give the same rows (timestamps are
 * relative to today, UTC midnight, so that freshness checks pass). Rerunning replaces the schema.
 * Run with a JDK 21+: {@code java GenerateMarketingDb.java [--schema NAME] [--sessions N] [--seed N] | psql URL}.
 */
public final class GenerateMarketingDb {
    record Campaign(long id, String name, String channel, String utm, BigDecimal budget, BigDecimal spend, LocalDate starts, LocalDate ends) {}

    static final String[][] CAMPAIGNS = {
        {"Spring Launch", "email"}, {"Founder's Day Promo", "email"}, {"Search - Brand", "paid_search"}, {"Search - Competitors", "paid_search"},
        {"LinkedIn Thought Leadership", "social"}, {"Retargeting Q2", "social"}, {"Partner Webinar Series", "partner"},
        {"Reseller Co-marketing", "partner"}, {"SaaStr Booth", "events"}, {"Customer Summit", "events"}, {"Product Hunt", "social"},
        {"Newsletter Sponsorship", "email"}};
    static final String[] PAGES = {"/", "/pricing", "/product", "/blog/lakehouse", "/blog/revops", "/signup", "/docs", "/customers"};
    static final String[] FREE_MAIL = {"gmail.com", "yahoo.com", "outlook.com", "proton.me"};

    public static void main(String[] args) throws Exception {
        String schema = "marketing";
        String hubspotUrl = System.getenv("HUBSPOT_BASE_URL");
        String hubspotToken = System.getenv("HUBSPOT_TOKEN");
        int sessions = 20_000;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--schema" -> schema = args[++i];
                case "--hubspot-url" -> hubspotUrl = args[++i];
                case "--hubspot-token" -> hubspotToken = args[++i];
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --schema NAME, --hubspot-url URL, --hubspot-token TOKEN, --sessions N, --seed N)");
            }
        }
        if (!schema.matches("[a-z_][a-z0-9_]*")) throw new IllegalArgumentException("--schema must be a plain lower-case name: " + schema);
        List<String> emails = hubspotUrl == null || hubspotUrl.isBlank() ? List.of() : contactEmails(hubspotUrl, hubspotToken);
        if (hubspotUrl != null && !hubspotUrl.isBlank() && emails.isEmpty()) {
            throw new IllegalStateException("HubSpot at " + hubspotUrl + " has no contacts with an email: sync or seed it first");
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        write(out, schema, emails, sessions, new Random(seed), LocalDate.now(ZoneOffset.UTC).atStartOfDay());
        out.flush();
    }

    /** The emails of all HubSpot contacts, in id order, through the CRM search-free list endpoint (100 a page). */
    static List<String> contactEmails(String baseUrl, String token) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Pattern email = Pattern.compile("\"email\"\\s*:\\s*\"([^\"]*)\"");
        Pattern after = Pattern.compile("\"after\"\\s*:\\s*\"([^\"]*)\"");
        List<String> out = new ArrayList<>();
        String cursor = null;
        do {
            String url = baseUrl.replaceAll("/+$", "") + "/crm/v3/objects/contacts?limit=100&properties=email"
                    + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("HubSpot answered " + r.statusCode() + " to GET " + url);
            Matcher m = email.matcher(r.body());
            while (m.find()) if (!m.group(1).isBlank()) out.add(m.group(1));
            Matcher a = after.matcher(r.body());
            cursor = a.find() ? a.group(1) : null;
        } while (cursor != null);
        return out;
    }

    static void write(PrintStream out, String schema, List<String> contactEmails, int sessions, Random random, LocalDateTime today) {
        out.println("DROP SCHEMA IF EXISTS " + schema + " CASCADE;");
        out.println("CREATE SCHEMA " + schema + ";");
        out.println("CREATE TABLE " + schema + ".campaigns (campaign_id bigint PRIMARY KEY, name varchar(200) NOT NULL, channel varchar(40),"
                + " utm_campaign varchar(100) NOT NULL, budget numeric(12,2), spend numeric(12,2), starts_on date, ends_on date, updated_at timestamptz NOT NULL);");
        out.println("CREATE TABLE " + schema + ".web_analytics (session_id bigint PRIMARY KEY, started_at timestamptz NOT NULL, utm_campaign varchar(100),"
                + " landing_page varchar(200), pageviews integer, duration_seconds integer, updated_at timestamptz NOT NULL);");
        out.println("CREATE TABLE " + schema + ".product_events (event_id bigint PRIMARY KEY, occurred_at timestamptz NOT NULL, email varchar(320),"
                + " event_type varchar(40) NOT NULL, utm_campaign varchar(100), revenue numeric(12,2), updated_at timestamptz NOT NULL);");

        List<Campaign> campaigns = new ArrayList<>();
        for (int i = 0; i < CAMPAIGNS.length; i++) {
            String name = CAMPAIGNS[i][0];
            BigDecimal budget = BigDecimal.valueOf(2_000 + random.nextInt(48) * 500L).setScale(2);
            BigDecimal spend = budget.multiply(BigDecimal.valueOf(40 + random.nextInt(70))).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
            if (i == 7) spend = spend.negate(); // a partner's credit note booked as negative spend: the negatives check sees it
            LocalDate starts = today.toLocalDate().minusDays(150 - i * 10L);
            campaigns.add(new Campaign(100 + i, name, CAMPAIGNS[i][1], name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"),
                    budget, spend, starts, starts.plusDays(60 + random.nextInt(60))));
        }
        StringBuilder rows = new StringBuilder();
        for (Campaign c : campaigns) {
            rows.append(rows.isEmpty() ? "" : ",\n").append("(").append(c.id()).append(", ").append(text(c.name())).append(", ").append(text(c.channel()))
                    .append(", ").append(text(c.utm())).append(", ").append(c.budget()).append(", ").append(c.spend()).append(", '").append(c.starts())
                    .append("', '").append(c.ends()).append("', ").append(ts(today.minusDays(1))).append(")");
        }
        out.println("INSERT INTO " + schema + ".campaigns VALUES\n" + rows + ";");

        // sessions over the last 120 days, two in three from a campaign
        Batch web = new Batch(out, "INSERT INTO " + schema + ".web_analytics VALUES");
        for (int s = 1; s <= sessions; s++) {
            LocalDateTime at = today.minusMinutes(1 + random.nextInt(120 * 24 * 60));
            String utm = random.nextInt(3) == 0 ? null : campaigns.get(weighted(random, campaigns.size())).utm();
            int duration = random.nextInt(500) == 0 ? -random.nextInt(60) - 1 : random.nextInt(1800); // a tracker's clock skew, now and then
            web.add("(" + s + ", " + ts(at) + ", " + text(utm) + ", " + text(PAGES[random.nextInt(PAGES.length)]) + ", "
                    + (1 + random.nextInt(12)) + ", " + duration + ", " + ts(at.plusMinutes(5)) + ")");
        }
        web.close();

        // sign-ups: a third of the CRM's contacts (some typed shouted or with a stray space), free-mail users, broken addresses
        Batch events = new Batch(out, "INSERT INTO " + schema + ".product_events VALUES");
        long id = 1;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < contactEmails.size(); i++) {
            if (random.nextInt(3) != 0) continue;
            String e = contactEmails.get(i);
            users.add(switch (random.nextInt(20)) {
                case 0 -> e.toUpperCase(Locale.ROOT);
                case 1 -> " " + e + " ";
                default -> e;
            });
        }
        int freeMail = Math.max(50, users.size() / 2);
        for (int i = 0; i < freeMail; i++) users.add("user" + (1000 + i) + "@" + FREE_MAIL[random.nextInt(FREE_MAIL.length)]);
        for (int i = 0; i < 5; i++) users.add("not-an-email-" + i);
        for (String user : users) {
            LocalDateTime signup = today.minusMinutes(60 + random.nextInt(110 * 24 * 60));
            String utm = random.nextInt(4) == 0 ? null : campaigns.get(weighted(random, campaigns.size())).utm();
            events.add(event(id++, signup, user, "signup", utm, null));
            if (random.nextInt(10) < 6) {
                LocalDateTime activated = signup.plusHours(1 + random.nextInt(72));
                if (activated.isBefore(today)) events.add(event(id++, activated, user, "activation", utm, null));
                int purchases = random.nextInt(10) < 4 ? 1 + random.nextInt(3) : 0;
                for (int p = 0; p < purchases; p++) {
                    LocalDateTime bought = activated.plusDays(1 + random.nextInt(30));
                    if (!bought.isBefore(today)) continue;
                    BigDecimal revenue = BigDecimal.valueOf(49 + random.nextInt(20) * 50L).setScale(2);
                    events.add(event(id++, bought, user, "purchase", utm, revenue));
                }
            }
        }
        for (int i = 0; i < 7; i++) events.add(event(id++, today.minusHours(3 + i), null, "page_error", null, null)); // anonymous events
        events.close();
    }

    static String event(long id, LocalDateTime at, String email, String type, String utm, BigDecimal revenue) {
        return "(" + id + ", " + ts(at) + ", " + text(email) + ", " + text(type) + ", " + text(utm) + ", " + (revenue == null ? "NULL" : revenue)
                + ", " + ts(at.plusSeconds(30)) + ")";
    }

    /** Campaigns earlier in the list draw more traffic: index i with weight n - i. */
    static int weighted(Random random, int n) {
        int r = random.nextInt(n * (n + 1) / 2);
        for (int i = 0; i < n; i++) {
            r -= n - i;
            if (r < 0) return i;
        }
        return n - 1;
    }

    static String text(String s) {
        return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
    }

    static String ts(LocalDateTime t) {
        return "'" + t + "+00'";
    }

    /** Multi-row INSERTs of at most 1,000 rows. */
    static final class Batch {
        private final PrintStream out;
        private final String insert;
        private final StringBuilder rows = new StringBuilder();
        private int count;

        Batch(PrintStream out, String insert) {
            this.out = out;
            this.insert = insert;
        }

        void add(String row) {
            rows.append(count == 0 ? "\n" : ",\n").append(row);
            if (++count == 1000) close();
        }

        void close() {
            if (count > 0) out.println(insert + rows + ";");
            rows.setLength(0);
            count = 0;
        }
    }
}
