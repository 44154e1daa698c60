package dev.tributary.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sandbox.hubspot.data.AssociationLink;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.sandbox.hubspot.data.Portal;
import dev.tributary.sandbox.hubspot.data.PortalGenerator;
import dev.tributary.sandbox.hubspot.data.PortalScale;
import dev.tributary.sandbox.hubspot.data.PropertyDefinition;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortalGeneratorTest {
    private static final Instant ANCHOR = Instant.parse("2025-06-01T00:00:00Z");

    private static Portal portal(long seed, int contacts) {
        long hub = PortalGenerator.hubIds(seed, 1).get(0);
        return new PortalGenerator(seed, hub, PortalScale.forContacts(contacts), ANCHOR).generate();
    }

    private static String fingerprint(Portal p) {
        StringBuilder b = new StringBuilder();
        for (ObjectType t : ObjectType.values()) {
            ObjectTable table = p.table(t);
            for (int i = 0; i < table.size(); i += 7) {
                for (PropertyDefinition d : p.catalog().properties(t)) {
                    if (d.name().startsWith("hs_analytics") || d.name().startsWith("hs_social")) continue;
                    b.append(table.value(i, d.name())).append('|');
                }
                b.append(table.isArchived(i)).append(table.isMergedAway(i)).append('\n');
            }
        }
        return b.toString();
    }

    /** Seed 42 gave portals 289 and 929 one hub id: the 1,000-tenant benchmark installed 999 tenants. */
    @Test
    void everyPortalHasItsOwnHubId() {
        for (long seed : new long[] {1, 7, 42, 2026}) {
            List<Long> ids = PortalGenerator.hubIds(seed, 5_000);
            assertThat(new java.util.HashSet<>(ids)).as("distinct hub ids of seed " + seed).hasSize(ids.size());
        }
        assertThat(PortalGenerator.hubIds(42, 1_000).subList(0, 289)).as("ids before a clash stay as they were")
                .isEqualTo(PortalGenerator.hubIds(42, 289));
    }

    @Test
    void sameSeedGivesIdenticalDataAndAnotherSeedDoesNot() {
        String a = fingerprint(portal(42, 2_000));
        assertThat(fingerprint(portal(42, 2_000))).isEqualTo(a);
        assertThat(fingerprint(portal(43, 2_000))).isNotEqualTo(a);
    }

    @Test
    void bulkUpdateClusterSharesOneModifiedTimeAcrossMoreThanTenThousandContacts() {
        long hub = PortalGenerator.hubIds(1, 1).get(0);
        PortalGenerator gen = new PortalGenerator(1, hub, PortalScale.forContacts(25_000), ANCHOR);
        Portal p = gen.generate();
        ObjectTable contacts = p.table(ObjectType.CONTACTS);
        int same = 0;
        for (int i = 0; i < contacts.size(); i++) if (contacts.updatedAt(i) == gen.bulkUpdateMillis()) same++;
        assertThat(same).isEqualTo(PortalScale.DEFAULT_BULK_UPDATE_SIZE).isGreaterThan(10_000);
        assertThat(PortalScale.forContacts(5_000).bulkUpdateSize()).isZero();
    }

    @Test
    void someCompaniesHaveThousandsOfContactsAndContactsUseTheirCompanyDomain() {
        Portal p = portal(7, 30_000);
        AssociationLink link = p.link(ObjectType.COMPANIES, ObjectType.CONTACTS).orElseThrow();
        int biggest = 0;
        for (int c = 0; c < p.table(ObjectType.COMPANIES).size(); c++) biggest = Math.max(biggest, link.targetCount(ObjectType.COMPANIES, c));
        assertThat(biggest).isGreaterThan(1_000);
        ObjectTable contacts = p.table(ObjectType.CONTACTS);
        ObjectTable companies = p.table(ObjectType.COMPANIES);
        int onDomain = 0;
        int freeMail = 0;
        int noCompany = 0;
        for (int i = 0; i < 2_000; i++) {
            String email = contacts.value(i, "email");
            int[] company = link.targets(ObjectType.CONTACTS, i);
            if (company.length == 0) { noCompany++; continue; }
            String domain = companies.value(company[0], "domain");
            if (email != null && domain != null && email.endsWith("@" + domain)) onDomain++;
            if (email != null && email.matches(".*@(gmail\\.com|yahoo\\.com|outlook\\.com|hotmail\\.com|gmx\\.de|web\\.de)")) freeMail++;
        }
        assertThat(onDomain).isGreaterThan(1_000);
        assertThat(freeMail).isGreaterThan(50);
        assertThat(noCompany).isGreaterThan(50);
    }

    @Test
    void companyNamesVaryLegalSuffixesAndIncludeUpperCaseVariants() {
        Portal p = portal(3, 20_000);
        ObjectTable companies = p.table(ObjectType.COMPANIES);
        Map<String, Integer> suffixes = new HashMap<>();
        for (int i = 0; i < companies.size(); i++) {
            String name = companies.value(i, "name");
            for (String s : List.of(" Inc.", ", Inc", " GmbH", " Ltd")) if (name.endsWith(s)) suffixes.merge(s, 1, Integer::sum);
        }
        assertThat(suffixes.keySet()).contains(" Inc.", ", Inc", " GmbH", " Ltd");
    }

    @Test
    void mergedDuplicatesAreListedOnTheSurvivorAndShareItsEmail() {
        Portal p = portal(42, 5_000);
        ObjectTable contacts = p.table(ObjectType.CONTACTS);
        int merged = 0;
        for (int i = 0; i < contacts.size(); i++) {
            if (!contacts.isMergedAway(i)) continue;
            merged++;
            int survivor = contacts.survivorOf(i);
            assertThat(contacts.mergedObjectIds(survivor)).contains(Long.toString(contacts.id(i)));
            assertThat(contacts.value(i, "email")).isEqualTo(contacts.value(survivor, "email"));
        }
        assertThat(merged).isPositive();
        assertThat(contacts.archivedCount()).isPositive();
    }

    @Test
    void trackedPropertiesHaveHistoryNewestFirstEndingInTheCurrentValue() {
        Portal p = portal(42, 1_000);
        ObjectTable deals = p.table(ObjectType.DEALS);
        int multi = 0;
        for (int i = 0; i < deals.size(); i++) {
            var history = deals.history(i, "dealstage");
            assertThat(history).isNotEmpty();
            assertThat(history.get(0).value()).isEqualTo(deals.value(i, "dealstage"));
            for (int k = 1; k < history.size(); k++) {
                assertThat(history.get(k).timestampMillis()).isLessThanOrEqualTo(history.get(k - 1).timestampMillis());
            }
            if (history.size() > 1) multi++;
        }
        assertThat(multi).isPositive();
    }

    @Test
    void numberPropertiesSometimesHoldTextAndMultiSelectsAreSemicolonJoined() {
        Portal p = portal(42, 3_000);
        ObjectTable contacts = p.table(ObjectType.CONTACTS);
        boolean text = false;
        boolean multi = false;
        for (int i = 0; i < contacts.size(); i++) {
            String spend = contacts.value(i, "annual_spend");
            if (spend != null && !spend.matches("-?[0-9]+(\\.[0-9]+)?")) text = true;
            String interests = contacts.value(i, "interests");
            if (interests != null && interests.contains(";")) multi = true;
        }
        assertThat(p.catalog().property(ObjectType.CONTACTS, "annual_spend").type()).isEqualTo("number");
        assertThat(text).isTrue();
        assertThat(multi).isTrue();
    }

    @Test
    void hubIdsAreDistinctPerPortal() {
        assertThat(PortalGenerator.hubIds(42, 5)).doesNotHaveDuplicates().hasSize(5);
    }
}
