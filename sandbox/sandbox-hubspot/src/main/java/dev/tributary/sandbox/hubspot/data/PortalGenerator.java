package dev.tributary.sandbox.hubspot.data;

import static dev.tributary.sandbox.hubspot.data.SyntheticValues.hash;
import static dev.tributary.sandbox.hubspot.data.SyntheticValues.of;
import static dev.tributary.sandbox.hubspot.data.SyntheticValues.pick;
import static dev.tributary.sandbox.hubspot.data.SyntheticValues.unit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a portal deterministically from (seed, hub id, scale, anchor): the same inputs give byte-identical API
 * answers. Records are created over six years before the anchor, ids rise with creation time, and contacts
 * include a bulk update cluster where {@code bulkUpdateSize} records share one lastmodifieddate.
 */
public final class PortalGenerator {
    private static final long DAY = Duration.ofDays(1).toMillis();
    /** The deal pipelines' stage ids, in order; the second pipeline uses numeric ids as custom pipelines do. */
    static final String[] DEFAULT_STAGES = {"appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
            "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"};
    static final String[] DEFAULT_STAGE_LABELS = {"Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled",
            "Decision Maker Bought-In", "Contract Sent", "Closed Won", "Closed Lost"};
    static final String[] DEFAULT_PROBABILITY = {"0.2", "0.4", "0.6", "0.8", "0.9", "1.0", "0.0"};

    private final long seed;
    private final long hubId;
    private final PortalScale scale;
    private final long anchor;
    private final long start;

    public PortalGenerator(long seed, long hubId, PortalScale scale, Instant anchor) {
        this.seed = SyntheticValues.hash(seed, hubId, 7, 11);
        this.hubId = hubId;
        this.scale = scale;
        this.anchor = anchor.toEpochMilli();
        this.start = this.anchor - 6 * 365 * DAY;
    }

    /** The hub ids of a sandbox's portals, derived from the seed. */
    public static List<Long> hubIds(long seed, int portals) {
        List<Long> out = new ArrayList<>();
        java.util.Set<Long> taken = new java.util.HashSet<>();
        for (int p = 0; p < portals; p++) {
            long id = 20_000_000L + pick(seed, p, 3, 5, 9_000_000) / 10 * 10 + p;
            while (!taken.add(id)) id++; // two portals drew one id (seed 42 gave portals 289 and 929 the same): the later moves on
            out.add(id);
        }
        return out;
    }

    /** The instant every record of the bulk update cluster carries as its lastmodifieddate. */
    public long bulkUpdateMillis() {
        return anchor - 90 * DAY + Duration.ofHours(4).plusMinutes(5).plusSeconds(6).toMillis() + 789;
    }

    public Portal generate() {
        String secondPipeline = Long.toString(10_000_000L + pick(seed, 1, 1, 1, 9_000_000));
        String[] secondStages = new String[4];
        for (int i = 0; i < 4; i++) secondStages[i] = Long.toString(Long.parseLong(secondPipeline) * 10 + i + 1).substring(1);
        List<Pipeline> dealPipelines = dealPipelines(secondPipeline, secondStages);
        List<Pipeline> ticketPipelines = ticketPipelines();
        List<Owner> owners = owners();
        List<String> ownerIds = owners.stream().map(Owner::id).toList();
        List<String> stageIds = new ArrayList<>(List.of(DEFAULT_STAGES));
        stageIds.addAll(List.of(secondStages));
        PropertyCatalog catalog = new PropertyCatalog(ownerIds, List.of("default", secondPipeline), stageIds,
                List.of("1", "2", "3", "4"));

        int nContacts = scale.contacts();
        int nCompanies = scale.companies();
        int[] contactCompany = new int[nContacts];
        for (int i = 0; i < nContacts; i++) {
            double u = unit(seed, 1, i, 1);
            contactCompany[i] = nCompanies == 0 || u < 0.10 ? -1 : (int) (nCompanies * Math.pow(unit(seed, 1, i, 2), 3));
        }
        Map<Integer, Integer> duplicateOf = new HashMap<>();
        Map<Integer, Integer> mergedContacts = new HashMap<>();
        for (int i = 2; i < nContacts; i++) {
            int roll = pick(seed, 1, i, 3, 150);
            if (roll > 1) continue;
            int target = i - 1 - pick(seed, 1, i, 4, Math.min(i - 1, 20));
            if (duplicateOf.containsKey(target)) continue;
            duplicateOf.put(i, target);
            contactCompany[i] = contactCompany[target];
            if (roll == 0) mergedContacts.put(i, target);
        }

        Map<ObjectType, ObjectTable> tables = new EnumMap<>(ObjectType.class);
        Owners ownerPick = new Owners(owners);
        tables.put(ObjectType.COMPANIES, table(ObjectType.COMPANIES, nCompanies, catalog, new CompanyValues(ownerPick), 0));
        tables.put(ObjectType.CONTACTS, table(ObjectType.CONTACTS, nContacts, catalog,
                new ContactValues(ownerPick, contactCompany, duplicateOf), scale.bulkUpdateSize()));
        int nDeals = scale.deals();
        int[] dealCompany = new int[nDeals];
        int[] dealContact = new int[nDeals];
        for (int i = 0; i < nDeals; i++) {
            dealCompany[i] = nCompanies == 0 || unit(seed, 3, i, 1) < 0.05 ? -1 : (int) (nCompanies * Math.pow(unit(seed, 3, i, 2), 2));
            dealContact[i] = nContacts == 0 || unit(seed, 3, i, 3) < 0.2 ? -1 : pick(seed, 3, i, 4, nContacts);
        }
        tables.put(ObjectType.DEALS, table(ObjectType.DEALS, nDeals, catalog,
                new DealValues(ownerPick, dealCompany, secondPipeline, secondStages), 0));
        int nTickets = scale.tickets();
        int[] ticketContact = new int[nTickets];
        int[] ticketCompany = new int[nTickets];
        for (int i = 0; i < nTickets; i++) {
            ticketContact[i] = nContacts == 0 || unit(seed, 4, i, 1) < 0.1 ? -1 : pick(seed, 4, i, 2, nContacts);
            ticketCompany[i] = ticketContact[i] >= 0 ? contactCompany[ticketContact[i]] : -1;
        }
        tables.put(ObjectType.TICKETS, table(ObjectType.TICKETS, nTickets, catalog, new TicketValues(ownerPick), 0));
        tables.put(ObjectType.PRODUCTS, table(ObjectType.PRODUCTS, scale.products(), catalog, new ProductValues(), 0));
        int nLineItems = scale.lineItems();
        int[] lineItemDeal = new int[nLineItems];
        for (int i = 0; i < nLineItems; i++) lineItemDeal[i] = nDeals == 0 ? -1 : (i / 2) % nDeals;
        tables.put(ObjectType.LINE_ITEMS, table(ObjectType.LINE_ITEMS, nLineItems, catalog,
                new LineItemValues(lineItemDeal, tables.get(ObjectType.PRODUCTS)), 0));
        int nSubs = scale.subscriptions();
        int[] subContact = new int[nSubs];
        for (int i = 0; i < nSubs; i++) subContact[i] = nContacts == 0 ? -1 : pick(seed, 7, i, 1, nContacts);
        tables.put(ObjectType.SUBSCRIPTIONS, table(ObjectType.SUBSCRIPTIONS, nSubs, catalog, new SubscriptionValues(), 0));

        ObjectTable contacts = tables.get(ObjectType.CONTACTS);
        mergedContacts.forEach((merged, survivor) -> contacts.seedMerged(merged, survivor));
        for (ObjectType t : ObjectType.values()) seedArchived(tables.get(t));
        ObjectTable companies = tables.get(ObjectType.COMPANIES);
        for (int i = 3; i < nCompanies; i++) {
            if (pick(seed, 2, i, 9, 250) == 0 && companies.isLive(i - 1) && companies.isLive(i)) {
                companies.seedMerged(i, i - 1);
            }
        }

        String subsName = ObjectType.SUBSCRIPTIONS.fullyQualifiedName(hubId);
        List<AssociationLink> links = List.of(
                new AssociationLink(ObjectType.CONTACTS, ObjectType.COMPANIES, contactCompany, nCompanies,
                        List.of(AssociationType.hubspot(279, null, "contact_to_company_unlabeled"),
                                AssociationType.hubspot(1, "Primary", "contact_to_company")),
                        List.of(AssociationType.hubspot(280, null, "company_to_contact_unlabeled"),
                                AssociationType.hubspot(2, "Primary", "company_to_contact")),
                        AssociationType.user(101, "Billing contact", "billing_contact"),
                        AssociationType.user(102, "Billing contact", "billing_contact"),
                        i -> pick(seed, 1, i, 8, 10) == 0),
                new AssociationLink(ObjectType.DEALS, ObjectType.COMPANIES, dealCompany, nCompanies,
                        List.of(AssociationType.hubspot(341, null, "deal_to_company_unlabeled"),
                                AssociationType.hubspot(5, "Primary", "deal_to_company")),
                        List.of(AssociationType.hubspot(342, null, "company_to_deal_unlabeled"),
                                AssociationType.hubspot(6, "Primary", "company_to_deal")), null, null, null),
                new AssociationLink(ObjectType.DEALS, ObjectType.CONTACTS, dealContact, nContacts,
                        List.of(AssociationType.hubspot(3, null, "deal_to_contact")),
                        List.of(AssociationType.hubspot(4, null, "contact_to_deal")), null, null, null),
                new AssociationLink(ObjectType.TICKETS, ObjectType.CONTACTS, ticketContact, nContacts,
                        List.of(AssociationType.hubspot(16, null, "ticket_to_contact")),
                        List.of(AssociationType.hubspot(15, null, "contact_to_ticket")), null, null, null),
                new AssociationLink(ObjectType.TICKETS, ObjectType.COMPANIES, ticketCompany, nCompanies,
                        List.of(AssociationType.hubspot(339, null, "ticket_to_company_unlabeled"),
                                AssociationType.hubspot(26, "Primary", "ticket_to_company")),
                        List.of(AssociationType.hubspot(340, null, "company_to_ticket_unlabeled"),
                                AssociationType.hubspot(25, "Primary", "company_to_ticket")), null, null, null),
                new AssociationLink(ObjectType.LINE_ITEMS, ObjectType.DEALS, lineItemDeal, nDeals,
                        List.of(AssociationType.hubspot(20, null, "line_item_to_deal")),
                        List.of(AssociationType.hubspot(19, null, "deal_to_line_item")), null, null, null),
                new AssociationLink(ObjectType.SUBSCRIPTIONS, ObjectType.CONTACTS, subContact, nContacts,
                        List.of(AssociationType.user(103, null, subsName + "_to_contact")),
                        List.of(AssociationType.user(104, null, "contact_to_" + subsName)), null, null, null));
        return new Portal(hubId, "tributary-sandbox-" + hubId + ".com", catalog, tables, owners, dealPipelines,
                ticketPipelines, links, start + 30 * DAY);
    }

    private void seedArchived(ObjectTable t) {
        for (int i = 0; i < t.size(); i++) {
            if (pick(seed, t.type().ordinal(), i, 21, 67) == 0 && t.isLive(i)) {
                long modified = t.updatedAt(i);
                t.seedArchived(i, modified + (long) ((anchor - modified) * unit(seed, t.type().ordinal(), i, 22)));
            }
        }
    }

    private ObjectTable table(ObjectType type, int n, PropertyCatalog catalog, TypeValues values, int bulkSize) {
        long[] created = new long[n];
        long[] updated = new long[n];
        long span = anchor - 30 * DAY - start;
        int o = type.ordinal() + 10;
        for (int i = 0; i < n; i++) {
            created[i] = start + (long) (span * ((i + unit(seed, o, i, 1)) / n));
            double u = unit(seed, o, i, 2);
            updated[i] = created[i] + (long) ((anchor - created[i]) * u * u);
        }
        long bulkAt = bulkUpdateMillis();
        int eligible = 0;
        while (eligible < n && created[eligible] < bulkAt) eligible++;
        int members = Math.min(bulkSize, eligible);
        if (members > 0) {
            long stride = 1_000_003L;
            while (gcd(stride, eligible) != 1) stride += 2;
            for (int i = 0; i < eligible; i++) {
                if ((i * stride) % eligible < members) updated[i] = bulkAt;
            }
        }
        if (type == ObjectType.COMPANIES) { // an import that touched every seventh older company at once
            long importAt = anchor - 400 * DAY + 123;
            for (int i = 0; i < n; i += 7) if (created[i] < importAt && updated[i] < importAt) updated[i] = importAt;
        }
        values.bind(created, updated);
        return new ObjectTable(type, hubId, created, updated, values, catalog);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private List<Owner> owners() {
        int n = scale.owners();
        int teams = n / 5 + 1;
        String[] teamNames = {"Sales EMEA", "Sales AMER", "Support", "Customer Success", "Partners", "Marketing"};
        List<Owner> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String first = of(SyntheticValues.FIRST_NAMES, seed, 90, i, 1);
            String last = of(SyntheticValues.LAST_NAMES, seed, 90, i, 2);
            int t = i % teams;
            long created = start + (long) (unit(seed, 90, i, 3) * 365 * DAY);
            out.add(new Owner(Long.toString(51_000_000L + i * 17L), SyntheticValues.slug(first) + "."
                    + SyntheticValues.slug(last) + i + "@tributary-sandbox-" + hubId + ".com", first, last,
                    9_000_000L + i * 31L, List.of(new Owner.Team(Long.toString(7_000 + t), teamNames[t % teamNames.length]
                            + (t >= teamNames.length ? " " + (t / teamNames.length + 1) : ""), true)),
                    created, created + (long) (unit(seed, 90, i, 4) * 900 * DAY), i % 10 == 9 || (n >= 3 && i == n - 1)));
        }
        return out;
    }

    private List<Pipeline> dealPipelines(String secondId, String[] secondStages) {
        long at = start + 10 * DAY;
        List<Pipeline.Stage> stages = new ArrayList<>();
        for (int i = 0; i < DEFAULT_STAGES.length; i++) {
            stages.add(new Pipeline.Stage(DEFAULT_STAGES[i], DEFAULT_STAGE_LABELS[i], i,
                    Map.of("probability", DEFAULT_PROBABILITY[i], "isClosed", Boolean.toString(i >= 5))));
        }
        String[] labels = {"Renewal due", "Quote sent", "Renewed", "Churned"};
        String[] prob = {"0.5", "0.8", "1.0", "0.0"};
        List<Pipeline.Stage> renewal = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            renewal.add(new Pipeline.Stage(secondStages[i], labels[i], i,
                    Map.of("probability", prob[i], "isClosed", Boolean.toString(i >= 2))));
        }
        return List.of(new Pipeline("default", "Sales Pipeline", 0, stages, at, at),
                new Pipeline(secondId, "Renewals", 1, renewal, at + 400 * DAY, at + 500 * DAY));
    }

    private List<Pipeline> ticketPipelines() {
        long at = start + 10 * DAY;
        String[] labels = {"New", "Waiting on contact", "Waiting on us", "Closed"};
        List<Pipeline.Stage> stages = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stages.add(new Pipeline.Stage(Integer.toString(i + 1), labels[i], i,
                    Map.of("ticketState", i == 3 ? "CLOSED" : "OPEN", "isClosed", Boolean.toString(i == 3))));
        }
        return List.of(new Pipeline("0", "Support Pipeline", 0, stages, at, at));
    }

    // ---- derived values ----

    private final class Owners {
        final List<Owner> all;

        Owners(List<Owner> all) { this.all = all; }

        String pick(long a, long b, long c) {
            return all.get(SyntheticValues.pick(seed, a, b, c, all.size())).id();
        }
    }

    /** Derived values of one type; tracked properties get 1..3 versions, the newest being the current value. */
    private abstract class TypeValues implements ObjectTable.DerivedValues {
        final int o;
        long[] created;
        long[] updated;

        TypeValues(ObjectType type) { this.o = type.ordinal() + 30; }

        void bind(long[] c, long[] u) { created = c; updated = u; }

        abstract String raw(int i, String property);

        /** Value of version v of a tracked property, or null for untracked properties. */
        String version(int i, String property, int v) { return null; }

        boolean tracked(String property) { return false; }

        int versions(int i, String property) { return 1 + pick(seed, o, i, property.hashCode(), 3); }

        @Override
        public String value(int i, String property) {
            if (tracked(property)) return version(i, property, versions(i, property) - 1);
            return raw(i, property);
        }

        @Override
        public List<HistoryEntry> history(int i, String property) {
            if (!tracked(property)) {
                String v = raw(i, property);
                return v == null ? List.of() : List.of(new HistoryEntry(v, created[i], "CRM_UI", null, null));
            }
            int n = versions(i, property);
            List<HistoryEntry> out = new ArrayList<>(n);
            for (int v = n - 1; v >= 0; v--) {
                String value = version(i, property, v);
                if (value == null) continue;
                long at = n == 1 ? created[i] : created[i] + (updated[i] - created[i]) * v / (n - 1);
                String source = v == 0 ? "IMPORT" : of(SyntheticValues.SOURCE_TYPES, seed, o, i, v);
                Long user = source.equals("CRM_UI") ? 9_000_000L + pick(seed, o, i, v + 50, Math.max(1, scale.owners())) * 31L : null;
                out.add(new HistoryEntry(value, at, source, source.equals("API") ? "sandbox-import" : null, user));
            }
            return out;
        }
    }

    String companyStem(int c) {
        int a = pick(seed, 2, c, 1, SyntheticValues.STEM_A.length);
        int b = pick(seed, 2, c, 2, SyntheticValues.STEM_B.length);
        String stem = SyntheticValues.STEM_A[a] + (SyntheticValues.STEM_B[b].isEmpty() ? "" : " " + SyntheticValues.STEM_B[b]);
        int round = c / (SyntheticValues.STEM_A.length * SyntheticValues.STEM_B.length / 3);
        return round == 0 ? stem : stem + " " + (round + 1);
    }

    String companyDomain(int c) {
        return SyntheticValues.slug(companyStem(c)) + of(SyntheticValues.TLDS, seed, 2, c, 3);
    }

    String companyName(int c) {
        String stem = companyStem(c);
        return switch (pick(seed, 2, c, 4, 5)) {
            case 0 -> stem.toUpperCase(Locale.ROOT) + ", Inc";
            case 1 -> stem;
            default -> stem + of(SyntheticValues.LEGAL_SUFFIXES, seed, 2, c, 5);
        };
    }

    private final class CompanyValues extends TypeValues {
        final Owners owners;

        CompanyValues(Owners owners) { super(ObjectType.COMPANIES); this.owners = owners; }

        @Override boolean tracked(String p) { return p.equals("hubspot_owner_id") || p.equals("lifecyclestage"); }

        @Override
        String version(int i, String p, int v) {
            return p.equals("hubspot_owner_id") ? owners.pick(o, i, 100 + v)
                    : SyntheticValues.LIFECYCLE[Math.min(SyntheticValues.LIFECYCLE.length - 2, pick(seed, o, i, 9, 4) + v)];
        }

        @Override
        String raw(int i, String p) {
            return switch (p) {
                case "name" -> companyName(i);
                case "domain" -> pick(seed, o, i, 1, 40) == 0 ? null : companyDomain(i);
                case "industry" -> pick(seed, o, i, 2, 8) == 0 ? null : of(SyntheticValues.INDUSTRIES, seed, o, i, 3);
                case "country" -> of(SyntheticValues.COUNTRIES, seed, 2, i, 6);
                case "city" -> of(SyntheticValues.CITIES, seed, o, i, 4);
                case "numberofemployees" -> Integer.toString(1 + (int) Math.pow(10, 4 * unit(seed, o, i, 5)));
                case "annualrevenue" -> pick(seed, o, i, 6, 5) == 0 ? null : Long.toString(10_000L * (1 + pick(seed, o, i, 7, 100_000)));
                case "phone" -> "+49 30 " + (1_000_000 + pick(seed, o, i, 8, 8_999_999));
                case "customer_tier" -> pick(seed, o, i, 10, 3) == 0 ? null : of(new String[] {"gold", "silver", "bronze"}, seed, o, i, 11);
                case "employee_band" -> switch (pick(seed, o, i, 12, 12)) { // a number property that holds text in the wild
                    case 0 -> "50-100";
                    case 1 -> "n/a";
                    default -> Integer.toString(10 * (1 + pick(seed, o, i, 13, 100)));
                };
                default -> null;
            };
        }
    }

    private final class ContactValues extends TypeValues {
        final Owners owners;
        final int[] company;
        final Map<Integer, Integer> duplicateOf;

        ContactValues(Owners owners, int[] company, Map<Integer, Integer> duplicateOf) {
            super(ObjectType.CONTACTS);
            this.owners = owners;
            this.company = company;
            this.duplicateOf = duplicateOf;
        }

        @Override boolean tracked(String p) { return p.equals("hubspot_owner_id") || p.equals("lifecyclestage"); }

        @Override
        String version(int i, String p, int v) {
            if (p.equals("hubspot_owner_id")) return owners.pick(o, i, 100 + v);
            int base = pick(seed, o, i, 9, 5);
            return SyntheticValues.LIFECYCLE[Math.min(SyntheticValues.LIFECYCLE.length - 1, base + v)];
        }

        int identity(int i) {
            Integer d = duplicateOf.get(i);
            return d == null ? i : d;
        }

        @Override
        String raw(int i, String p) {
            int id = identity(i);
            int c = company[i];
            return switch (p) {
                case "firstname" -> of(SyntheticValues.FIRST_NAMES, seed, o, id, 1);
                case "lastname" -> pick(seed, o, id, 30, 50) == 0 ? null : of(SyntheticValues.LAST_NAMES, seed, o, id, 2);
                case "email" -> email(id, company[id]);
                case "phone" -> pick(seed, o, i, 3, 3) == 0 ? null : "+1 617 555 " + String.format(Locale.ROOT, "%04d", pick(seed, o, i, 4, 10_000));
                case "company" -> c < 0 ? null : companyName(c);
                case "associatedcompanyid" -> c < 0 ? null : Long.toString((ObjectType.COMPANIES.ordinal() + 1) * 100_000_000L + 1 + c);
                case "jobtitle" -> of(SyntheticValues.JOB_TITLES, seed, o, i, 5);
                case "city" -> of(SyntheticValues.CITIES, seed, o, i, 6);
                case "country" -> c >= 0 ? of(SyntheticValues.COUNTRIES, seed, 2, c, 6) : of(SyntheticValues.COUNTRIES, seed, o, i, 7);
                case "hs_lead_status" -> pick(seed, o, i, 8, 4) == 0 ? null : of(SyntheticValues.LEAD_STATUS, seed, o, i, 10);
                case "hs_email_optout" -> Boolean.toString(pick(seed, o, i, 11, 20) == 0);
                case "hs_analytics_num_visits" -> Integer.toString(pick(seed, o, i, 12, 300));
                case "annual_spend" -> switch (pick(seed, o, i, 13, 25)) { // a number property holding text in the wild
                    case 0 -> "n/a";
                    case 1 -> "1.234,50";
                    case 2, 3, 4 -> null;
                    default -> pick(seed, o, i, 14, 2) == 0 ? Integer.toString(pick(seed, o, i, 15, 100_000))
                            : pick(seed, o, i, 15, 100_000) + "." + String.format(Locale.ROOT, "%02d", pick(seed, o, i, 16, 100));
                };
                case "interests" -> interests(i);
                case "date_of_birth" -> pick(seed, o, i, 17, 3) == 0 ? null
                        : LocalDate.of(1950, 1, 1).plusDays(pick(seed, o, i, 18, 365 * 50)).toString();
                case "national_id_number" -> pick(seed, o, i, 19, 2) == 0 ? null : "X" + (10_000_000 + pick(seed, o, i, 20, 89_999_999));
                case "favourite_colour" -> pick(seed, o, i, 21, 3) != 0 ? null : of(new String[] {"blue", "Blue", "BLUE ", "grün", "红色", "select"}, seed, o, i, 22);
                default -> p.startsWith("hs_analytics_first_") && pick(seed, o, i, p.hashCode(), 4) == 0
                        ? Long.toString(created[i]) : null;
            };
        }

        String email(int i, int c) {
            String first = SyntheticValues.slug(of(SyntheticValues.FIRST_NAMES, seed, o, i, 1));
            String last = SyntheticValues.slug(of(SyntheticValues.LAST_NAMES, seed, o, i, 2));
            if (pick(seed, o, i, 23, 60) == 0) return null;
            if (c < 0 || pick(seed, o, i, 24, 100) < 15) {
                return first + "." + last + i + "@" + of(SyntheticValues.FREE_MAIL, seed, o, i, 25);
            }
            return first + "." + last + (i % 1000) + "." + i + "@" + companyDomain(c);
        }

        String interests(int i) {
            int mask = pick(seed, o, i, 26, 1 << SyntheticValues.INTERESTS.length) & pick(seed, o, i, 27, 256);
            if (mask == 0) return null;
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < SyntheticValues.INTERESTS.length; k++) {
                if ((mask & (1 << k)) != 0) b.append(b.isEmpty() ? "" : ";").append(SyntheticValues.INTERESTS[k]);
            }
            return b.toString();
        }
    }

    private final class DealValues extends TypeValues {
        final Owners owners;
        final int[] company;
        final String secondPipeline;
        final String[] secondStages;

        DealValues(Owners owners, int[] company, String secondPipeline, String[] secondStages) {
            super(ObjectType.DEALS);
            this.owners = owners;
            this.company = company;
            this.secondPipeline = secondPipeline;
            this.secondStages = secondStages;
        }

        boolean renewal(int i) { return pick(seed, o, i, 1, 5) == 0; }

        @Override
        boolean tracked(String p) {
            return p.equals("dealstage") || p.equals("amount") || p.equals("hubspot_owner_id");
        }

        @Override
        String version(int i, String p, int v) {
            return switch (p) {
                case "dealstage" -> {
                    int n = versions(i, p);
                    String[] stages = renewal(i) ? secondStages : DEFAULT_STAGES;
                    int last = pick(seed, o, i, 2, stages.length);
                    yield stages[Math.max(0, Math.min(last, stages.length - 1) - (n - 1 - v))];
                }
                case "amount" -> {
                    if (v == versions(i, p) - 1 && pick(seed, o, i, 3, 20) == 0) yield null;
                    long cents = 10_000L * (1 + pick(seed, o, i, 4 + v, 5_000));
                    yield pick(seed, o, i, 10, 3) == 0 ? cents / 100 + "." + String.format(Locale.ROOT, "%02d", cents % 97)
                            : Long.toString(cents / 100);
                }
                default -> owners.pick(o, i, 100 + v);
            };
        }

        @Override
        String raw(int i, String p) {
            return switch (p) {
                case "dealname" -> (company[i] >= 0 ? companyName(company[i]) : "Unknown account") + " - "
                        + of(SyntheticValues.PRODUCT_WORDS, seed, o, i, 5);
                case "deal_currency_code" -> of(SyntheticValues.CURRENCIES, seed, o, i, 6);
                case "pipeline" -> renewal(i) ? secondPipeline : "default";
                case "closedate" -> SyntheticValues.isoMillis(created[i] + (long) (unit(seed, o, i, 7) * 200 * DAY));
                case "hs_is_closed" -> {
                    String stage = value(i, "dealstage");
                    yield Boolean.toString(stage.startsWith("closed") || stage.equals(secondStages[2]) || stage.equals(secondStages[3]));
                }
                case "deal_source_detail" -> pick(seed, o, i, 8, 4) == 0 ? "Met at a trade fair;\nfollow-up \"urgent\"" : null;
                default -> null;
            };
        }
    }

    private final class TicketValues extends TypeValues {
        final Owners owners;

        TicketValues(Owners owners) { super(ObjectType.TICKETS); this.owners = owners; }

        @Override boolean tracked(String p) { return p.equals("hs_pipeline_stage") || p.equals("hubspot_owner_id"); }

        @Override
        String version(int i, String p, int v) {
            if (p.equals("hubspot_owner_id")) return owners.pick(o, i, 100 + v);
            int n = versions(i, p);
            return Integer.toString(Math.max(1, 1 + pick(seed, o, i, 1, 4) - (n - 1 - v)));
        }

        @Override
        String raw(int i, String p) {
            return switch (p) {
                case "subject" -> of(SyntheticValues.TICKET_SUBJECTS, seed, o, i, 2);
                case "content" -> pick(seed, o, i, 3, 3) == 0 ? null : "Customer wrote: " + of(SyntheticValues.TICKET_SUBJECTS, seed, o, i, 2).toLowerCase(Locale.ROOT) + ".";
                case "hs_pipeline" -> "0";
                case "hs_ticket_priority" -> of(SyntheticValues.PRIORITIES, seed, o, i, 4);
                case "hs_ticket_category" -> pick(seed, o, i, 5, 3) == 0 ? null : of(SyntheticValues.TICKET_CATEGORIES, seed, o, i, 6);
                default -> null;
            };
        }
    }

    private final class ProductValues extends TypeValues {
        ProductValues() { super(ObjectType.PRODUCTS); }

        @Override
        String raw(int i, String p) {
            return switch (p) {
                case "name" -> SyntheticValues.PRODUCT_WORDS[i % SyntheticValues.PRODUCT_WORDS.length]
                        + (i >= SyntheticValues.PRODUCT_WORDS.length ? " " + (i / SyntheticValues.PRODUCT_WORDS.length + 1) : "");
                case "price" -> Integer.toString(50 * (1 + pick(seed, o, i, 1, 200)));
                case "hs_sku" -> "SKU-" + (1000 + i);
                case "description" -> pick(seed, o, i, 2, 2) == 0 ? null : "Synthetic product " + (i + 1);
                default -> null;
            };
        }
    }

    private final class LineItemValues extends TypeValues {
        final int[] deal;
        final ObjectTable products;

        LineItemValues(int[] deal, ObjectTable products) {
            super(ObjectType.LINE_ITEMS);
            this.deal = deal;
            this.products = products;
        }

        int product(int i) { return products.size() == 0 ? -1 : pick(seed, o, i, 1, products.size()); }

        @Override
        String raw(int i, String p) {
            int prod = product(i);
            return switch (p) {
                case "name" -> prod < 0 ? "Custom line" : products.value(prod, "name");
                case "hs_product_id" -> prod < 0 ? null : Long.toString(products.id(prod));
                case "quantity" -> Integer.toString(1 + pick(seed, o, i, 2, 20));
                case "price" -> prod < 0 ? "100" : products.value(prod, "price");
                case "amount" -> {
                    String price = raw(i, "price");
                    yield Long.toString(Long.parseLong(price) * Long.parseLong(raw(i, "quantity")));
                }
                case "hs_line_item_currency_code" -> of(SyntheticValues.CURRENCIES, seed, o, i, 3);
                default -> null;
            };
        }
    }

    private final class SubscriptionValues extends TypeValues {
        SubscriptionValues() { super(ObjectType.SUBSCRIPTIONS); }

        @Override boolean tracked(String p) { return p.equals("status"); }

        @Override
        String version(int i, String p, int v) {
            return SyntheticValues.SUBSCRIPTION_STATUS[Math.min(3, (pick(seed, o, i, 1, 2) + v) % 4)];
        }

        @Override
        String raw(int i, String p) {
            return switch (p) {
                case "plan_name" -> of(SyntheticValues.PLANS, seed, o, i, 2);
                case "mrr" -> Integer.toString(10 * pick(seed, o, i, 3, 500));
                case "start_date" -> Instant.ofEpochMilli(created[i]).atZone(ZoneOffset.UTC).toLocalDate().toString();
                default -> null;
            };
        }
    }

    /** Convenience for tests: the hash used for everything, exposed so callers can derive seeded choices. */
    public long portalSeed() {
        return hash(seed, 0, 0, 0);
    }
}
