package dev.tributary.sandbox.hubspot.data;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Seeded hashing and the word lists synthetic records are built from. Same inputs, same outputs, always. */
public final class SyntheticValues {
    private SyntheticValues() {}

    static final String[] FIRST_NAMES = {"Anna", "Ben", "Carla", "David", "Emma", "Felix", "Grace", "Hugo", "Ines",
            "Jonas", "Kira", "Liam", "Mia", "Noah", "Olivia", "Paul", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera",
            "Wim", "Xenia", "Yusuf", "Zoe", "José", "Zoë", "Björn", "Chloé", "Łukasz", "Siobhán", "Mei", "Hiroshi",
            "Priya", "Aleksandr", "Fatima", "Oluwaseun", "Matteo", "Élodie"};
    static final String[] LAST_NAMES = {"Smith", "Müller", "García", "Rossi", "Dubois", "Nowak", "Johansson",
            "O'Brien", "van der Berg", "Kowalski", "Tanaka", "Kim", "Nguyen", "Silva", "Schmidt", "Jones", "Brown",
            "Martin", "Bernard", "Fischer", "Weber", "Costa", "Novak", "Horvat", "Papadopoulos", "Yilmaz", "Cohen",
            "Singh", "Patel", "Okafor", "Andersen", "Larsen", "Moreau", "Lefèvre", "Ivanov", "Hernández"};
    static final String[] STEM_A = {"Acme", "Blue", "Nord", "Global", "Bright", "Iron", "Silver", "Green", "Rapid",
            "Alpine", "Summit", "Vertex", "Harbor", "Pioneer", "Stellar", "Quantum", "Urban", "Crystal", "Atlas",
            "Delta", "Evergreen", "Falcon", "Granite", "Horizon", "Lumen", "Maple", "Nimbus", "Orion", "Polar", "Redwood"};
    static final String[] STEM_B = {"", "Works", "Labs", "Systems", "Logistics", "Foods", "Analytics", "Dynamics",
            "Solutions", "Robotics", "Energy", "Media", "Health", "Capital", "Software", "Textiles", "Freight",
            "Pharma", "Studios", "Networks"};
    /** Legal suffix spellings, deliberately inconsistent ("Inc." vs ", Inc" vs nothing). */
    static final String[] LEGAL_SUFFIXES = {" Inc.", ", Inc", " GmbH", " Ltd", " Ltd.", " LLC", " S.A.", " B.V.",
            " AG", " SAS", " Pty Ltd", " K.K.", "", ""};
    static final String[] TLDS = {".com", ".de", ".co.uk", ".fr", ".io", ".nl", ".com", ".com"};
    static final String[] FREE_MAIL = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "gmx.de", "web.de"};
    static final String[] INDUSTRIES = {"COMPUTER_SOFTWARE", "INFORMATION_TECHNOLOGY_AND_SERVICES", "RETAIL",
            "FOOD_PRODUCTION", "LOGISTICS_AND_SUPPLY_CHAIN", "FINANCIAL_SERVICES", "HOSPITAL_HEALTH_CARE",
            "MARKETING_AND_ADVERTISING", "MECHANICAL_OR_INDUSTRIAL_ENGINEERING", "TEXTILES", "RENEWABLES_ENVIRONMENT"};
    static final String[] COUNTRIES = {"United States", "Germany", "United Kingdom", "France", "Netherlands",
            "Spain", "Italy", "Poland", "Japan", "Brazil", "Canada", "Australia", "India", "Sweden"};
    static final String[] CITIES = {"Boston", "Berlin", "London", "Paris", "Amsterdam", "Madrid", "Milan", "Warsaw",
            "Tokyo", "São Paulo", "Toronto", "Sydney", "Bengaluru", "Stockholm", "München", "Zürich"};
    static final String[] JOB_TITLES = {"CEO", "CTO", "Head of Sales", "Marketing Manager", "Data Engineer",
            "Office Manager", "VP Finance", "Account Executive", "Procurement Lead", "Software Developer", ""};
    static final String[] LIFECYCLE = {"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
            "opportunity", "customer", "evangelist", "other"};
    static final String[] LEAD_STATUS = {"NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT",
            "CONNECTED", "BAD_TIMING"};
    static final String[] INTERESTS = {"analytics", "automation", "billing", "crm", "data_warehouse", "email",
            "integrations", "reporting"};
    static final String[] CURRENCIES = {"USD", "EUR", "GBP", "USD", "EUR", "CHF", "JPY"};
    static final String[] PRODUCT_WORDS = {"Platform licence", "Onboarding", "Support plan", "Data connector",
            "Training day", "Hardware kit", "Consulting hours", "Premium seat", "API add-on", "Storage pack"};
    static final String[] TICKET_SUBJECTS = {"Cannot log in", "Invoice question", "Sync is slow", "Feature request",
            "Export fails", "Password reset", "Billing address change", "Data missing after import"};
    static final String[] PRIORITIES = {"LOW", "MEDIUM", "HIGH", "URGENT"};
    static final String[] TICKET_CATEGORIES = {"PRODUCT_ISSUE", "BILLING_ISSUE", "FEATURE_REQUEST", "GENERAL_INQUIRY"};
    static final String[] SOURCE_TYPES = {"CRM_UI", "IMPORT", "API", "INTEGRATION", "WORKFLOWS"};
    static final String[] PLANS = {"Starter", "Professional", "Enterprise", "Team", "Free"};
    static final String[] SUBSCRIPTION_STATUS = {"active", "trialing", "past_due", "cancelled"};

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** SplitMix64 finaliser: a well-mixed 64-bit value from any input. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public static long hash(long seed, long a, long b, long c) {
        return mix(mix(mix(seed * 0x9E3779B97F4A7C15L + a) + b * 0x632BE59BD9B4E019L) + c);
    }

    /** A non-negative int below bound from the hash of the inputs. */
    public static int pick(long seed, long a, long b, long c, int bound) {
        return (int) Math.floorMod(hash(seed, a, b, c), (long) bound);
    }

    /** A uniform double in [0, 1) from the hash of the inputs. */
    public static double unit(long seed, long a, long b, long c) {
        return (hash(seed, a, b, c) >>> 11) * 0x1.0p-53;
    }

    static String of(String[] list, long seed, long a, long b, long c) {
        return list[pick(seed, a, b, c, list.length)];
    }

    /** ISO-8601 in UTC with milliseconds and a Z, as HubSpot's v3 API writes timestamps. */
    public static String isoMillis(long epochMillis) {
        if (epochMillis < 0 || epochMillis >= 253_402_300_800_000L) return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        int msOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
        // civil date from days since 1970-01-01 (Howard Hinnant's algorithm); hand-rolled because this runs per property
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        char[] c = new char[24];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, month, 2);
        c[7] = '-';
        put(c, 8, day, 2);
        c[10] = 'T';
        put(c, 11, msOfDay / 3_600_000, 2);
        c[13] = ':';
        put(c, 14, msOfDay / 60_000 % 60, 2);
        c[16] = ':';
        put(c, 17, msOfDay / 1000 % 60, 2);
        c[19] = '.';
        put(c, 20, msOfDay % 1000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static final java.util.Map<String, String> SLUGS = new java.util.concurrent.ConcurrentHashMap<>();

    static String slug(String s) {
        String cached = SLUGS.get(s);
        if (cached != null) return cached;
        String computed = computeSlug(s);
        if (SLUGS.size() < 200_000) SLUGS.put(s, computed);
        return computed;
    }

    private static String computeSlug(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).toCharArray()) {
            if (ch < 128 && Character.isLetterOrDigit(ch)) b.append(Character.toLowerCase(ch));
        }
        return b.toString();
    }
}
