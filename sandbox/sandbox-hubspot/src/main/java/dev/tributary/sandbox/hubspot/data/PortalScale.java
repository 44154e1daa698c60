package dev.tributary.sandbox.hubspot.data;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How many records of each kind one portal holds. {@link #forContacts(int)} derives the rest from the contact
 * count: companies 1/20, deals 1/5, tickets 1/10, line items 2 per deal, subscriptions 1/10, products
 * contacts/200 within 5..500, owners contacts/1000 within 3..200. A bulk update cluster of
 * {@code bulkUpdateSize} contacts sharing one lastmodifieddate exists once contacts reach 20,000.
 */
public record PortalScale(int contacts, int companies, int deals, int tickets, int products, int lineItems,
                          int subscriptions, int owners, int bulkUpdateSize) {

    public static final int BULK_UPDATE_MIN_CONTACTS = 20_000;
    public static final int DEFAULT_BULK_UPDATE_SIZE = 12_000;

    public PortalScale {
        if (contacts < 0 || companies < 0 || deals < 0 || tickets < 0 || products < 0 || lineItems < 0
                || subscriptions < 0 || owners < 1 || bulkUpdateSize < 0) {
            throw new IllegalArgumentException("counts must be >= 0 and owners >= 1");
        }
    }

    public static PortalScale forContacts(int contacts) {
        int deals = contacts / 5;
        return new PortalScale(contacts, Math.max(contacts > 0 ? 1 : 0, contacts / 20), deals, contacts / 10,
                clamp(contacts / 200, 5, 500), deals * 2, contacts / 10, clamp(contacts / 1000, 3, 200),
                contacts >= BULK_UPDATE_MIN_CONTACTS ? Math.min(DEFAULT_BULK_UPDATE_SIZE, contacts / 2) : 0);
    }

    /** Parses "100000" or "contacts=100000,companies=5000,...": named counts override the derived ones. */
    public static PortalScale parse(String spec) {
        Map<String, Integer> given = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq < 0) given.put("contacts", parseCount(p));
            else given.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), parseCount(p.substring(eq + 1).trim()));
        }
        PortalScale base = forContacts(given.getOrDefault("contacts", 1_000));
        int deals = given.getOrDefault("deals", base.deals);
        PortalScale s = new PortalScale(base.contacts, given.getOrDefault("companies", base.companies), deals,
                given.getOrDefault("tickets", base.tickets), given.getOrDefault("products", base.products),
                given.getOrDefault("line_items", given.containsKey("deals") ? deals * 2 : base.lineItems),
                given.getOrDefault("subscriptions", base.subscriptions), given.getOrDefault("owners", base.owners),
                given.getOrDefault("bulk_update", base.bulkUpdateSize));
        for (String k : given.keySet()) {
            if (!Map.of("contacts", 0, "companies", 0, "deals", 0, "tickets", 0, "products", 0, "line_items", 0,
                    "subscriptions", 0, "owners", 0, "bulk_update", 0).containsKey(k)) {
                throw new IllegalArgumentException("unknown scale key " + k);
            }
        }
        return s;
    }

    private static int parseCount(String s) {
        String t = s.toLowerCase(Locale.ROOT).replace("_", "");
        int mult = 1;
        if (t.endsWith("k")) { mult = 1_000; t = t.substring(0, t.length() - 1); }
        else if (t.endsWith("m")) { mult = 1_000_000; t = t.substring(0, t.length() - 1); }
        return Math.multiplyExact(Integer.parseInt(t), mult);
    }

    public PortalScale withBulkUpdateSize(int size) {
        return new PortalScale(contacts, companies, deals, tickets, products, lineItems, subscriptions, owners, size);
    }

    public int count(ObjectType type) {
        return switch (type) {
            case CONTACTS -> contacts;
            case COMPANIES -> companies;
            case DEALS -> deals;
            case TICKETS -> tickets;
            case PRODUCTS -> products;
            case LINE_ITEMS -> lineItems;
            case SUBSCRIPTIONS -> subscriptions;
        };
    }

    public String describe() {
        return String.format(Locale.ROOT, "%d contacts, %d companies, %d deals, %d tickets, %d products, "
                        + "%d line items, %d subscriptions, %d owners%s", contacts, companies, deals, tickets, products,
                lineItems, subscriptions, owners,
                bulkUpdateSize > 0 ? ", bulk update of " + bulkUpdateSize + " contacts" : "");
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
