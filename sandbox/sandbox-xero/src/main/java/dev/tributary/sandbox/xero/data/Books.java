package dev.tributary.sandbox.xero.data;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One organisation's (tenant's) books: every collection as an ordered list of {@link Doc}s, the journal ledger, and
 * the changes the control API makes. Generated deterministically from the seed and tenant number; documents span
 * three years before the data anchor and ids are name-based UUIDs, so the same seed gives the same answers.
 */
public final class Books {
    static final long DAY = Duration.ofDays(1).toMillis();
    private static final long SPAN = 3 * 365 * DAY;

    /** One posted ledger entry; journals never change once written. */
    public record JournalEntry(int number, String journalId, long createdMillis, String sourceType, String sourceId,
            String contactId, BigDecimal net, BigDecimal tax, String revenueAccount, boolean reversal) {}

    final long seed;
    final int tenantNumber;
    final String tenantId;
    final String name;
    final String baseCurrency;
    final String countryCode;
    final long anchor;
    final int invoiceCount;
    private final EnumMap<Endpoint, List<Doc>> lists = new EnumMap<>(Endpoint.class);
    private final EnumMap<Endpoint, Map<String, Doc>> byId = new EnumMap<>(Endpoint.class);
    private final List<JournalEntry> journals = new ArrayList<>();
    private final Map<Integer, String> generatedPayments = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final BookRenderer renderer;

    private static final String[] NAMES = {"Demo Company (NZ)", "Kauri Outfitters Ltd", "Harbour Analytics Pty Ltd", "Thames Works Ltd",
            "Maple Ridge Supply Inc", "Fjord Design AS", "Pacific Freight Ltd", "Alpine Labs GmbH"};
    private static final String[][] CURRENCY = {{"NZD", "NZ"}, {"NZD", "NZ"}, {"AUD", "AU"}, {"GBP", "GB"}, {"USD", "US"}, {"EUR", "NO"},
            {"NZD", "NZ"}, {"EUR", "DE"}};

    public Books(long seed, int tenantNumber, int invoices, long anchorMillis) {
        this.seed = seed;
        this.tenantNumber = tenantNumber;
        this.tenantId = uuid("tenant", tenantNumber, 0);
        this.name = NAMES[tenantNumber % NAMES.length] + (tenantNumber >= NAMES.length ? " " + (tenantNumber / NAMES.length + 1) : "");
        this.baseCurrency = CURRENCY[tenantNumber % CURRENCY.length][0];
        this.countryCode = CURRENCY[tenantNumber % CURRENCY.length][1];
        this.anchor = anchorMillis;
        this.invoiceCount = invoices;
        this.renderer = new BookRenderer(this);
        generate();
    }

    // ---- generation -------------------------------------------------------------------------------------------

    private void generate() {
        for (Endpoint e : Endpoint.values()) {
            lists.put(e, new ArrayList<>());
            byId.put(e, new HashMap<>());
        }
        long start = anchor - SPAN;
        add(new Doc(Endpoint.ORGANISATION, 0, tenantId, start - 400 * DAY, start - 400 * DAY, -1));
        for (int i = 0; i < BookRenderer.ACCOUNTS.length; i++) reference(Endpoint.ACCOUNTS, i, start);
        for (int i = 0; i < BookRenderer.TAX_RATES.length; i++) {
            add(new Doc(Endpoint.TAX_RATES, i, BookRenderer.TAX_RATES[i][0], start, start, -1));
        }
        for (int i = 0; i < 2; i++) reference(Endpoint.TRACKING_CATEGORIES, i, start);
        for (int i = 0; i < 3; i++) add(new Doc(Endpoint.CURRENCIES, i, renderer.currencies()[i], start, start, -1));
        for (int i = 0; i < 3; i++) reference(Endpoint.CONTACT_GROUPS, i, start);
        for (int i = 0; i < 4; i++) reference(Endpoint.USERS, i, start);
        for (int i = 0; i < 20; i++) reference(Endpoint.ITEMS, i, start + i * DAY);
        spread(Endpoint.CONTACTS, contactCount(), start - 30 * DAY);
        spread(Endpoint.INVOICES, invoiceCount, start);
        spread(Endpoint.CREDIT_NOTES, invoiceCount / 20, start);
        spread(Endpoint.OVERPAYMENTS, invoiceCount / 200 + 1, start);
        spread(Endpoint.PREPAYMENTS, invoiceCount / 200 + 1, start);
        spread(Endpoint.BANK_TRANSACTIONS, invoiceCount / 5, start);
        spread(Endpoint.BANK_TRANSFERS, invoiceCount / 100 + 1, start);
        spread(Endpoint.MANUAL_JOURNALS, invoiceCount / 100 + 1, start);
        spread(Endpoint.PURCHASE_ORDERS, invoiceCount / 20 + 1, start);
        spread(Endpoint.QUOTES, invoiceCount / 20 + 1, start);
        // payments: one per paid (or part-paid) invoice, dated when it was paid
        List<long[]> events = new ArrayList<>();
        for (Doc inv : lists.get(Endpoint.INVOICES)) {
            BookRenderer.InvoiceFacts f = renderer.invoiceFacts(inv);
            if (f.status().equals("AUTHORISED") || f.status().equals("PAID") || f.status().equals("VOIDED")) {
                events.add(new long[] {inv.createdMillis, 0, inv.index});
            }
            if (f.status().equals("VOIDED")) events.add(new long[] {inv.updatedMillis, 2, inv.index});
        }
        List<Doc> paid = new ArrayList<>();
        for (Doc inv : lists.get(Endpoint.INVOICES)) {
            BookRenderer.InvoiceFacts f = renderer.invoiceFacts(inv);
            if (f.amountPaid().signum() > 0) {
                int k = paid.size();
                paid.add(new Doc(Endpoint.PAYMENTS, k, uuid("payment", tenantNumber, k), f.paidAt(), f.paidAt(), inv.index));
            }
        }
        paid.sort((a, b) -> Long.compare(a.createdMillis, b.createdMillis));
        for (Doc p : paid) {
            Doc renumbered = new Doc(Endpoint.PAYMENTS, lists.get(Endpoint.PAYMENTS).size(), p.id, p.createdMillis, p.updatedMillis, p.ref);
            add(renumbered);
            generatedPayments.put(p.ref, p.id);
            events.add(new long[] {p.createdMillis, 1, renumbered.index});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (long[] ev : events) {
            if (ev[1] == 1) journalForPayment(lists.get(Endpoint.PAYMENTS).get((int) ev[2]), ev[0]);
            else journalForInvoice(lists.get(Endpoint.INVOICES).get((int) ev[2]), ev[0], ev[1] == 2);
        }
    }

    int contactCount() {
        return Math.max(20, invoiceCount / 10);
    }

    private void reference(Endpoint e, int i, long created) {
        add(new Doc(e, i, uuid(e.name(), tenantNumber, i), created, created + mod(hash(e, i, 1), 30) * DAY, -1));
    }

    /** n documents created evenly over the three years, each last updated a little after creation (never past the anchor). */
    private void spread(Endpoint e, int n, long start) {
        long step = n == 0 ? 0 : SPAN / n;
        for (int i = 0; i < n; i++) {
            long created = start + i * step + mod(hash(e, i, 2), Math.max(1, step));
            // updated within five days of creation, never past the anchor (spread, not piled on one instant)
            long updated = created + mod(hash(e, i, 3), Math.max(1, Math.min(5 * DAY, anchor - 60_000 - created)));
            if (e == Endpoint.INVOICES) {
                BookRenderer.InvoiceFacts f = renderer.invoiceFactsFor(i, created);
                if (f.paidAt() > 0) updated = Math.max(updated, f.paidAt());
            }
            add(new Doc(e, i, uuid(e.name(), tenantNumber, i), created, updated, -1));
        }
    }

    private void add(Doc d) {
        lists.get(d.endpoint).add(d);
        byId.get(d.endpoint).put(d.id.toLowerCase(), d);
    }

    private void journalForInvoice(Doc inv, long at, boolean reversal) {
        BookRenderer.InvoiceFacts f = renderer.invoiceFacts(inv);
        int number = journals.size() + 1;
        String type = f.type().equals("ACCREC") ? "ACCREC" : "ACCPAY";
        BigDecimal sign = reversal ? BigDecimal.ONE.negate() : BigDecimal.ONE;
        journals.add(new JournalEntry(number, uuid("journal", tenantNumber, number), at, type, inv.id,
                contactId(f.contactIndex()), f.subTotal().multiply(sign), f.totalTax().multiply(sign),
                f.type().equals("ACCREC") ? "200" : "429", reversal));
    }

    private void journalForPayment(Doc payment, long at) {
        Doc inv = lists.get(Endpoint.INVOICES).get(payment.ref);
        BookRenderer.InvoiceFacts f = renderer.invoiceFacts(inv);
        int number = journals.size() + 1;
        BigDecimal amount = paymentAmount(payment);
        journals.add(new JournalEntry(number, uuid("journal", tenantNumber, number), at,
                f.type().equals("ACCREC") ? "ACCRECPAYMENT" : "ACCPAYPAYMENT", payment.id, contactId(f.contactIndex()),
                amount, BigDecimal.ZERO.setScale(2), "090", false));
    }

    BigDecimal paymentAmount(Doc payment) {
        Map<String, Object> patch = payment.patch;
        if (patch != null && patch.get("Amount") instanceof BigDecimal b) return b;
        return renderer.invoiceFacts(lists.get(Endpoint.INVOICES).get(payment.ref)).amountPaid();
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    public String tenantId() { return tenantId; }
    public String name() { return name; }
    public String baseCurrency() { return baseCurrency; }
    public int tenantNumber() { return tenantNumber; }
    BookRenderer renderer() { return renderer; }

    /** A snapshot of a collection's documents in creation order. */
    public List<Doc> docs(Endpoint e) {
        lock.readLock().lock();
        try {
            return List.copyOf(lists.get(e));
        } finally {
            lock.readLock().unlock();
        }
    }

    public Doc find(Endpoint e, String id) {
        lock.readLock().lock();
        try {
            return byId.get(e).get(id.toLowerCase());
        } finally {
            lock.readLock().unlock();
        }
    }

    public int count(Endpoint e) {
        lock.readLock().lock();
        try {
            return e == Endpoint.JOURNALS ? journals.size() : lists.get(e).size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Journals with a number greater than {@code offset}, at most {@code limit}. */
    public List<JournalEntry> journalsAfter(int offset, int limit) {
        lock.readLock().lock();
        try {
            int from = Math.max(0, Math.min(offset, journals.size()));
            return List.copyOf(journals.subList(from, Math.min(journals.size(), from + limit)));
        } finally {
            lock.readLock().unlock();
        }
    }

    public Map<String, Object> render(Doc d, boolean summaryOnly) {
        Map<String, Object> out = renderer.render(d, summaryOnly);
        Map<String, Object> patch = d.patch;
        if (patch != null) {
            for (Map.Entry<String, Object> e : patch.entrySet()) {
                if (summaryOnly && (e.getKey().equals("LineItems") || e.getKey().equals("Payments"))) continue;
                out.put(e.getKey(), e.getValue());
            }
        }
        out.put("UpdatedDateUTC", MsDate.withOffset(d.updatedMillis));
        if (d.endpoint.changeField() == null || d.endpoint.changeField().equals("CreatedDateUTC")) out.remove("UpdatedDateUTC");
        return out;
    }

    public Map<String, Object> renderJournal(JournalEntry j) {
        return renderer.journal(j);
    }

    String generatedPayment(int invoiceIndex) {
        return generatedPayments.get(invoiceIndex);
    }

    String contactId(int contactIndex) {
        return lists.get(Endpoint.CONTACTS).get(contactIndex).id;
    }

    Doc doc(Endpoint e, int index) {
        return lists.get(e).get(index);
    }

    // ---- changes (control API) --------------------------------------------------------------------------------

    /** Adds {@code n} new invoices created now, AUTHORISED unless {@code draft}; returns their ids. */
    public List<String> addInvoices(int n, boolean draft, long now) {
        lock.writeLock().lock();
        try {
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int i = lists.get(Endpoint.INVOICES).size();
                Doc d = new Doc(Endpoint.INVOICES, i, uuid(Endpoint.INVOICES.name(), tenantNumber, i), now, now, -1);
                Map<String, Object> patch = new LinkedHashMap<>();
                String status = draft ? "DRAFT" : "AUTHORISED";
                patch.put("Status", status);
                BookRenderer.InvoiceFacts f = renderer.invoiceFactsFor(i, now);
                patch.put("AmountPaid", BigDecimal.ZERO.setScale(2));
                patch.put("AmountDue", f.total());
                patch.put("Payments", List.of());
                patch.remove("FullyPaidOnDate");
                d.patch = patch;
                add(d);
                if (!draft) journalForInvoice(d, now, false);
                ids.add(d.id);
            }
            return ids;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Edits a document: a new Reference (and for contacts a new phone), updated now. */
    public void edit(Endpoint e, String id, long now) {
        lock.writeLock().lock();
        try {
            Doc d = require(e, id);
            Map<String, Object> patch = copy(d.patch);
            patch.put(e == Endpoint.CONTACTS ? "AccountNumber" : "Reference", "EDIT-" + Long.toString(now, 36).toUpperCase());
            d.patch = patch;
            d.updatedMillis = now;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Voids an AUTHORISED invoice (amount due to zero, a reversing journal). */
    public void voidInvoice(String id, long now) {
        lock.writeLock().lock();
        try {
            Doc d = require(Endpoint.INVOICES, id);
            String status = status(d);
            if (!status.equals("AUTHORISED") && !status.equals("SUBMITTED") && !status.equals("DRAFT")) {
                throw new IllegalStateException("invoice " + id + " is " + status + "; only DRAFT, SUBMITTED or AUTHORISED invoices without payments can be voided");
            }
            if (((BigDecimal) render(d, true).get("AmountPaid")).signum() > 0) {
                throw new IllegalStateException("invoice " + id + " has payments; remove them before voiding");
            }
            Map<String, Object> patch = copy(d.patch);
            patch.put("Status", status.equals("AUTHORISED") ? "VOIDED" : "DELETED");
            patch.put("AmountDue", BigDecimal.ZERO.setScale(2));
            d.patch = patch;
            d.updatedMillis = now;
            if (status.equals("AUTHORISED")) journalForInvoice(d, now, true);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Deletes a draft: Status DELETED (it stays listed, as Xero does). */
    public void deleteDraft(String id, long now) {
        lock.writeLock().lock();
        try {
            Doc d = require(Endpoint.INVOICES, id);
            if (!status(d).equals("DRAFT") && !status(d).equals("SUBMITTED")) {
                throw new IllegalStateException("invoice " + id + " is " + status(d) + "; only DRAFT or SUBMITTED invoices can be deleted");
            }
            Map<String, Object> patch = copy(d.patch);
            patch.put("Status", "DELETED");
            patch.put("AmountDue", BigDecimal.ZERO.setScale(2));
            d.patch = patch;
            d.updatedMillis = now;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Makes a draft disappear from every listing and read, leaving no change behind (as a purged draft does). */
    public void purge(Endpoint e, String id) {
        lock.writeLock().lock();
        try {
            Doc d = require(e, id);
            if (e == Endpoint.INVOICES && !status(d).equals("DRAFT") && !status(d).equals("DELETED")) {
                throw new IllegalStateException("invoice " + id + " is " + status(d) + "; only drafts (or deleted drafts) can vanish");
            }
            lists.get(e).remove(d);
            byId.get(e).remove(d.id.toLowerCase());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Pays the amount due of an AUTHORISED invoice in full: a new payment, the invoice PAID, a payment journal. */
    public String pay(String invoiceId, long now) {
        lock.writeLock().lock();
        try {
            Doc inv = require(Endpoint.INVOICES, invoiceId);
            Map<String, Object> current = render(inv, true);
            if (!"AUTHORISED".equals(current.get("Status"))) {
                throw new IllegalStateException("invoice " + invoiceId + " is " + current.get("Status") + "; only AUTHORISED invoices can be paid");
            }
            BigDecimal due = (BigDecimal) current.get("AmountDue");
            BigDecimal total = (BigDecimal) current.get("Total");
            int k = lists.get(Endpoint.PAYMENTS).size();
            Doc p = new Doc(Endpoint.PAYMENTS, k, uuid("payment-added", tenantNumber, k), now, now, inv.index);
            Map<String, Object> pp = new LinkedHashMap<>();
            pp.put("Amount", due);
            p.patch = pp;
            add(p);
            Map<String, Object> patch = copy(inv.patch);
            patch.put("Status", "PAID");
            patch.put("AmountPaid", total);
            patch.put("AmountDue", BigDecimal.ZERO.setScale(2));
            patch.put("FullyPaidOnDate", MsDate.ofDate(MsDate.dateOf(now)));
            List<Object> payments = new ArrayList<>();
            Object existing = render(inv, false).get("Payments");
            if (existing instanceof List<?> l) payments.addAll(l);
            payments.add(renderer.paymentRef(p.id, now, due, BigDecimal.ONE));
            patch.put("Payments", payments);
            inv.patch = patch;
            inv.updatedMillis = now;
            journalForPayment(p, now);
            return p.id;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Touches {@code n} documents of a collection (the oldest-updated first): edited, updated now. Returns their ids. */
    public List<String> mutate(Endpoint e, int n, long now) {
        lock.writeLock().lock();
        try {
            List<Doc> docs = new ArrayList<>(lists.get(e));
            docs.sort((a, b) -> Long.compare(a.updatedMillis, b.updatedMillis));
            List<String> ids = new ArrayList<>();
            for (Doc d : docs.subList(0, Math.min(n, docs.size()))) {
                Map<String, Object> patch = copy(d.patch);
                patch.put(e == Endpoint.CONTACTS ? "AccountNumber" : "Reference", "EDIT-" + Long.toString(now, 36).toUpperCase());
                d.patch = patch;
                d.updatedMillis = now;
                ids.add(d.id);
            }
            return ids;
        } finally {
            lock.writeLock().unlock();
        }
    }

    String status(Doc d) {
        Object s = render(d, true).get("Status");
        return s == null ? "" : s.toString();
    }

    private Doc require(Endpoint e, String id) {
        Doc d = byId.get(e).get(id.toLowerCase());
        if (d == null) throw new IllegalArgumentException("no " + e.path() + " document " + id + " in tenant " + tenantId);
        return d;
    }

    private static Map<String, Object> copy(Map<String, Object> patch) {
        return patch == null ? new LinkedHashMap<>() : new LinkedHashMap<>(patch);
    }

    // ---- determinism ------------------------------------------------------------------------------------------

    String uuid(String kind, int tenant, int index) {
        return UUID.nameUUIDFromBytes((seed + ":" + tenant + ":" + kind + ":" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    long hash(Endpoint e, int index, int salt) {
        long z = seed * 0x9E3779B97F4A7C15L + tenantNumber * 0xBF58476D1CE4E5B9L + (e.ordinal() + 1) * 0x94D049BB133111EBL
                + index * 0x2545F4914F6CDD1DL + salt * 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long mod(long h, long n) {
        return Math.floorMod(h, n);
    }
}
