package dev.tributary.sandbox.xero.data;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders documents as Xero's JSON fields (a map in Xero's field order), derived from hashes of the document's index:
 * the same index always gives the same invoice. Money is BigDecimal with two places; quantities four; rates six.
 */
final class BookRenderer {
    static final String[][] ACCOUNTS = {
            {"090", "Business Bank Account", "BANK", "ASSET"}, {"091", "Business Savings Account", "BANK", "ASSET"},
            {"200", "Sales", "REVENUE", "REVENUE"}, {"260", "Other Revenue", "OTHERINCOME", "REVENUE"},
            {"310", "Cost of Goods Sold", "DIRECTCOSTS", "EXPENSE"}, {"400", "Advertising", "EXPENSE", "EXPENSE"},
            {"404", "Bank Fees", "EXPENSE", "EXPENSE"}, {"429", "General Expenses", "EXPENSE", "EXPENSE"},
            {"453", "Office Expenses", "EXPENSE", "EXPENSE"}, {"469", "Rent", "OVERHEADS", "EXPENSE"},
            {"489", "Telephone & Internet", "OVERHEADS", "EXPENSE"}, {"493", "Travel - National", "EXPENSE", "EXPENSE"},
            {"610", "Accounts Receivable", "CURRENT", "ASSET"}, {"620", "Prepayments", "CURRENT", "ASSET"},
            {"800", "Accounts Payable", "CURRLIAB", "LIABILITY"}, {"820", "GST", "CURRLIAB", "LIABILITY"},
            {"960", "Retained Earnings", "EQUITY", "EQUITY"}, {"970", "Owner A Funds Introduced", "EQUITY", "EQUITY"}};
    static final String[][] TAX_RATES = {{"OUTPUT2", "15% GST on Income", "15.0000"}, {"INPUT2", "15% GST on Expenses", "15.0000"},
            {"NONE", "No GST", "0.0000"}, {"ZERORATEDOUTPUT", "Zero Rated", "0.0000"}};
    private static final String[] TRACKING = {"Region", "Department"};
    private static final String[][] OPTIONS = {{"North", "South", "East", "West"}, {"Sales", "Engineering", "Support"}};
    private static final String[] WORDS = {"Acme", "Bluebird", "Cobalt", "Driftwood", "Ember", "Fernleaf", "Granite", "Harbour", "Ironbark",
            "Juniper", "Kestrel", "Lumen", "Meridian", "Northwind", "Orchard", "Pinnacle", "Quartz", "Riverbend", "Summit", "Tidewater",
            "Umber", "Vantage", "Willow", "Yellowtail", "Zenith"};
    private static final String[] NOUNS = {"Traders", "Builders", "Consulting", "Foods", "Logistics", "Media", "Software", "Supplies",
            "Studios", "Partners"};
    private static final String[] SUFFIX = {"Ltd", "Limited", "Inc", "Pty Ltd", "LLC", "GmbH"};
    private static final String[] ITEMS = {"Consulting hour", "Support plan", "Onboarding", "Licence seat", "Training day", "Hardware kit",
            "Shipping", "Annual subscription", "Design sprint", "Data migration", "Audit", "Workshop", "Retainer", "Report",
            "Installation", "Maintenance", "Licence upgrade", "Premium support", "Integration", "Travel"};
    private static final BigDecimal TAX = new BigDecimal("0.15");

    record Line(String description, BigDecimal quantity, BigDecimal unitAmount, String accountCode, String taxType, BigDecimal taxAmount,
            BigDecimal lineAmount, String itemCode, int trackingOption) {}

    record InvoiceFacts(String type, int contactIndex, String status, List<Line> lines, BigDecimal subTotal, BigDecimal totalTax,
            BigDecimal total, String currency, BigDecimal rate, BigDecimal amountPaid, long paidAt) {}

    private final Books b;

    BookRenderer(Books books) {
        this.b = books;
    }

    String[] currencies() {
        String base = b.baseCurrency;
        List<String> out = new ArrayList<>(List.of(base));
        for (String c : new String[] {"USD", "EUR", "GBP"}) if (!c.equals(base) && out.size() < 3) out.add(c);
        return out.toArray(new String[0]);
    }

    Map<String, Object> render(Doc d, boolean summary) {
        return switch (d.endpoint) {
            case ORGANISATION -> organisation();
            case ACCOUNTS -> account(d);
            case CONTACTS -> contact(d);
            case CONTACT_GROUPS -> contactGroup(d);
            case INVOICES -> invoice(d, summary);
            case CREDIT_NOTES -> creditNote(d, summary);
            case PAYMENTS -> payment(d);
            case OVERPAYMENTS, PREPAYMENTS -> prepaymentOrOverpayment(d, summary);
            case BANK_TRANSACTIONS -> bankTransaction(d, summary);
            case BANK_TRANSFERS -> bankTransfer(d);
            case MANUAL_JOURNALS -> manualJournal(d);
            case ITEMS -> item(d);
            case TAX_RATES -> taxRate(d);
            case TRACKING_CATEGORIES -> trackingCategory(d);
            case CURRENCIES -> currency(d);
            case USERS -> user(d);
            case PURCHASE_ORDERS -> purchaseOrder(d, summary);
            case QUOTES -> quote(d, summary);
            case JOURNALS -> throw new IllegalArgumentException("journals render from the ledger");
        };
    }

    // ---- facts ------------------------------------------------------------------------------------------------

    InvoiceFacts invoiceFacts(Doc d) {
        return invoiceFactsFor(d.index, d.createdMillis);
    }

    InvoiceFacts invoiceFactsFor(int i, long created) {
        Endpoint e = Endpoint.INVOICES;
        String type = Books.mod(b.hash(e, i, 10), 4) == 0 ? "ACCPAY" : "ACCREC";
        int contact = (int) Books.mod(b.hash(e, i, 11), b.contactCount());
        long s = Books.mod(b.hash(e, i, 12), 100);
        String status = s < 5 ? "DRAFT" : s < 9 ? "SUBMITTED" : s < 40 ? "AUTHORISED" : s < 93 ? "PAID" : s < 97 ? "VOIDED" : "DELETED";
        List<Line> lines = lines(e, i, type.equals("ACCREC") ? "OUTPUT2" : "INPUT2", type.equals("ACCREC") ? "200" : "429");
        BigDecimal sub = lines.stream().map(Line::lineAmount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        BigDecimal tax = lines.stream().map(Line::taxAmount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        BigDecimal total = sub.add(tax);
        String[] cur = currencies();
        long c = Books.mod(b.hash(e, i, 13), 100);
        String currency = c < 85 ? cur[0] : c < 95 ? cur[1] : cur[2];
        BigDecimal rate = currency.equals(cur[0]) ? BigDecimal.ONE.setScale(6)
                : new BigDecimal(500_000 + Books.mod(b.hash(e, i, 14), 900_000)).movePointLeft(6);
        BigDecimal paid = BigDecimal.ZERO.setScale(2);
        long paidAt = 0;
        if (status.equals("PAID")) paid = total;
        else if (status.equals("AUTHORISED") && Books.mod(b.hash(e, i, 15), 5) == 0) paid = total.divide(BigDecimal.TWO, 2, RoundingMode.DOWN);
        if (paid.signum() > 0) {
            paidAt = created + (1 + Books.mod(b.hash(e, i, 16), 45)) * Books.DAY;
            // paid before the anchor: a late payment lands somewhere between creation and the anchor, not on one instant
            if (paidAt > b.anchor - 120_000) paidAt = created + Books.mod(b.hash(e, i, 17), Math.max(1, b.anchor - 120_000 - created));
        }
        return new InvoiceFacts(type, contact, status, lines, sub, tax, total, currency, rate, paid, Math.max(paidAt, paid.signum() > 0 ? created : 0));
    }

    private List<Line> lines(Endpoint e, int i, String taxType, String account) {
        int n = 1 + (int) Books.mod(b.hash(e, i, 20), 3);
        List<Line> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int item = (int) Books.mod(b.hash(e, i, 21 + k), ITEMS.length);
            BigDecimal qty = new BigDecimal(1 + Books.mod(b.hash(e, i, 31 + k), 10)).setScale(4);
            BigDecimal unit = new BigDecimal(1_000 + Books.mod(b.hash(e, i, 41 + k), 250_000)).movePointLeft(2);
            BigDecimal amount = qty.multiply(unit).setScale(2, RoundingMode.HALF_UP);
            BigDecimal tax = amount.multiply(TAX).setScale(2, RoundingMode.HALF_UP);
            int tracking = Books.mod(b.hash(e, i, 51 + k), 2) == 0 ? (int) Books.mod(b.hash(e, i, 61 + k), 4) : -1;
            out.add(new Line(ITEMS[item], qty, unit, account, taxType, tax, amount, "ITEM-" + (item + 1), tracking));
        }
        return out;
    }

    // ---- renderers --------------------------------------------------------------------------------------------

    private Map<String, Object> organisation() {
        Doc d = b.doc(Endpoint.ORGANISATION, 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("OrganisationID", b.tenantId);
        m.put("APIKey", "");
        m.put("Name", b.name);
        m.put("LegalName", b.name);
        m.put("PaysTax", true);
        m.put("Version", b.countryCode.equals("NZ") ? "NZ" : b.countryCode.equals("AU") ? "AU" : "GLOBAL");
        m.put("OrganisationType", "COMPANY");
        m.put("BaseCurrency", b.baseCurrency);
        m.put("CountryCode", b.countryCode);
        m.put("IsDemoCompany", false);
        m.put("OrganisationStatus", "ACTIVE");
        m.put("FinancialYearEndDay", 31);
        m.put("FinancialYearEndMonth", 3);
        m.put("SalesTaxBasis", "INVOICE");
        m.put("SalesTaxPeriod", "TWOMONTHS");
        m.put("DefaultSalesTax", "Tax Exclusive");
        m.put("DefaultPurchasesTax", "Tax Exclusive");
        m.put("CreatedDateUTC", MsDate.withOffset(d.createdMillis));
        m.put("OrganisationEntityType", "COMPANY");
        m.put("Timezone", "NEWZEALANDSTANDARDTIME");
        m.put("ShortCode", "!" + b.tenantId.substring(0, 5));
        m.put("Edition", "BUSINESS");
        m.put("Class", "STANDARD");
        return m;
    }

    private Map<String, Object> account(Doc d) {
        String[] a = ACCOUNTS[d.index];
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AccountID", d.id);
        m.put("Code", a[0]);
        m.put("Name", a[1]);
        m.put("Status", "ACTIVE");
        m.put("Type", a[2]);
        m.put("TaxType", a[3].equals("REVENUE") ? "OUTPUT2" : a[2].equals("BANK") || a[3].equals("EQUITY") ? "NONE" : "INPUT2");
        m.put("Class", a[3]);
        m.put("EnablePaymentsToAccount", false);
        m.put("ShowInExpenseClaims", a[3].equals("EXPENSE"));
        if (a[2].equals("BANK")) {
            m.put("BankAccountNumber", "0" + (1000 + d.index) + "-0" + (20_000 + d.index));
            m.put("BankAccountType", "BANK");
            m.put("CurrencyCode", b.baseCurrency);
        }
        m.put("ReportingCode", a[3].substring(0, 3));
        m.put("HasAttachments", false);
        return m;
    }

    private String companyName(int i) {
        long h = b.hash(Endpoint.CONTACTS, i, 1);
        return WORDS[(int) Books.mod(h, WORDS.length)] + " " + NOUNS[(int) Books.mod(h >>> 8, NOUNS.length)]
                + (i >= WORDS.length * NOUNS.length ? " " + (i / (WORDS.length * NOUNS.length) + 1) : "")
                + " " + SUFFIX[(int) Books.mod(h >>> 16, SUFFIX.length)];
    }

    private Map<String, Object> contactRef(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ContactID", b.contactId(i));
        m.put("Name", companyName(i));
        return m;
    }

    private Map<String, Object> contact(Doc d) {
        int i = d.index;
        long h = b.hash(Endpoint.CONTACTS, i, 2);
        String name = companyName(i);
        String domain = name.toLowerCase().replaceAll(" (ltd|limited|inc|pty ltd|llc|gmbh)$", "").replaceAll("[^a-z0-9]+", "") + ".example";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ContactID", d.id);
        m.put("ContactNumber", "C" + (10_000 + i));
        m.put("AccountNumber", "AC-" + (1000 + i));
        m.put("ContactStatus", Books.mod(h, 50) == 0 ? "ARCHIVED" : "ACTIVE");
        m.put("Name", name);
        m.put("FirstName", new String[] {"Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana"}[(int) Books.mod(h >>> 4, 8)]);
        m.put("LastName", new String[] {"Ngata", "Smith", "Okafor", "Larsen", "Chen", "Patel", "Brown", "Rossi"}[(int) Books.mod(h >>> 8, 8)]);
        m.put("EmailAddress", "accounts@" + domain);
        m.put("Website", "https://www." + domain);
        m.put("BankAccountDetails", "");
        m.put("TaxNumber", Books.mod(h >>> 12, 3) == 0 ? "" : (100 + Books.mod(h >>> 14, 900)) + "-" + (100 + Books.mod(h >>> 24, 900)) + "-" + (100 + Books.mod(h >>> 34, 900)));
        m.put("Addresses", List.of(Map.of("AddressType", "POBOX", "AddressLine1", "PO Box " + (100 + i), "City", "Wellington", "Country", ""),
                Map.of("AddressType", "STREET")));
        m.put("Phones", List.of(Map.of("PhoneType", "DEFAULT", "PhoneNumber", String.valueOf(5_550_000 + i), "PhoneAreaCode", "04", "PhoneCountryCode", "64")));
        m.put("UpdatedDateUTC", "");
        m.put("ContactGroups", Books.mod(h >>> 40, 3) == 0 ? List.of() : List.of(groupRef((int) Books.mod(h >>> 44, 3))));
        m.put("IsSupplier", Books.mod(h >>> 20, 4) == 0);
        m.put("IsCustomer", Books.mod(h >>> 20, 4) != 0);
        m.put("DefaultCurrency", b.baseCurrency);
        m.put("HasAttachments", false);
        return m;
    }

    private Map<String, Object> groupRef(int g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ContactGroupID", b.doc(Endpoint.CONTACT_GROUPS, g).id);
        m.put("Name", new String[] {"Key accounts", "Wholesale", "Suppliers - preferred"}[g]);
        m.put("Status", "ACTIVE");
        m.put("Contacts", List.of());
        return m;
    }

    private Map<String, Object> contactGroup(Doc d) {
        return groupRef(d.index);
    }

    private List<Object> lineItems(Endpoint e, int i, List<Line> lines) {
        List<Object> out = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            Line l = lines.get(k);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Description", l.description());
            m.put("UnitAmount", l.unitAmount());
            m.put("TaxType", l.taxType());
            m.put("TaxAmount", l.taxAmount());
            m.put("LineAmount", l.lineAmount());
            m.put("AccountCode", l.accountCode());
            m.put("ItemCode", l.itemCode());
            m.put("Tracking", l.trackingOption() < 0 ? List.of() : List.of(trackingRef(0, l.trackingOption())));
            m.put("Quantity", l.quantity());
            m.put("LineItemID", b.uuid(e.name() + "-line", b.tenantNumber, i * 8 + k));
            m.put("ValidationErrors", List.of());
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> trackingRef(int category, int option) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", TRACKING[category]);
        m.put("Option", OPTIONS[category][option % OPTIONS[category].length]);
        m.put("TrackingCategoryID", b.doc(Endpoint.TRACKING_CATEGORIES, category).id);
        m.put("TrackingOptionID", b.uuid("tracking-option-" + category, b.tenantNumber, option % OPTIONS[category].length));
        return m;
    }

    Map<String, Object> paymentRef(String paymentId, long at, BigDecimal amount, BigDecimal rate) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PaymentID", paymentId);
        m.put("Date", MsDate.ofDate(MsDate.dateOf(at)));
        m.put("Amount", amount);
        m.put("CurrencyRate", rate);
        m.put("HasAccount", false);
        m.put("HasValidationErrors", false);
        return m;
    }

    private Map<String, Object> invoice(Doc d, boolean summary) {
        InvoiceFacts f = invoiceFacts(d);
        LocalDate date = MsDate.dateOf(d.createdMillis);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", f.type());
        m.put("InvoiceID", d.id);
        m.put("InvoiceNumber", (f.type().equals("ACCREC") ? "INV-" : "BILL-") + String.format("%05d", d.index + 1));
        m.put("Reference", f.type().equals("ACCREC") ? "PO " + (4000 + d.index % 997) : "");
        m.put("Payments", List.of());
        m.put("CreditNotes", List.of());
        m.put("Prepayments", List.of());
        m.put("Overpayments", List.of());
        m.put("AmountDue", f.total().subtract(f.amountPaid()));
        m.put("AmountPaid", f.amountPaid());
        m.put("AmountCredited", BigDecimal.ZERO.setScale(2));
        m.put("CurrencyRate", f.rate());
        m.put("IsDiscounted", false);
        m.put("HasAttachments", false);
        m.put("HasErrors", false);
        m.put("Contact", contactRef(f.contactIndex()));
        m.put("DateString", MsDate.dateString(date));
        m.put("Date", MsDate.ofDate(date));
        m.put("DueDateString", MsDate.dateString(date.plusDays(30)));
        m.put("DueDate", MsDate.ofDate(date.plusDays(30)));
        m.put("Status", f.status());
        m.put("LineAmountTypes", "Exclusive");
        if (!summary) m.put("LineItems", lineItems(Endpoint.INVOICES, d.index, f.lines()));
        m.put("SubTotal", f.subTotal());
        m.put("TotalTax", f.totalTax());
        m.put("Total", f.total());
        m.put("UpdatedDateUTC", "");
        m.put("CurrencyCode", f.currency());
        if (f.status().equals("PAID")) m.put("FullyPaidOnDate", MsDate.ofDate(MsDate.dateOf(f.paidAt())));
        if (f.status().equals("VOIDED") || f.status().equals("DELETED")) m.put("AmountDue", BigDecimal.ZERO.setScale(2));
        if (!summary && f.amountPaid().signum() > 0) {
            String paymentId = paymentIdFor(d.index);
            if (paymentId != null) m.put("Payments", List.of(paymentRef(paymentId, f.paidAt(), f.amountPaid(), f.rate())));
        }
        return m;
    }

    private String paymentIdFor(int invoiceIndex) {
        return b.generatedPayment(invoiceIndex);
    }

    private Map<String, Object> payment(Doc d) {
        Doc inv = b.doc(Endpoint.INVOICES, d.ref);
        InvoiceFacts f = invoiceFacts(inv);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PaymentID", d.id);
        m.put("BatchPaymentID", null);
        m.put("Date", MsDate.ofDate(MsDate.dateOf(d.createdMillis)));
        m.put("BankAmount", b.paymentAmount(d));
        m.put("Amount", b.paymentAmount(d));
        m.put("Reference", "Payment " + (d.index + 1));
        m.put("CurrencyRate", f.rate());
        m.put("PaymentType", f.type().equals("ACCREC") ? "ACCRECPAYMENT" : "ACCPAYPAYMENT");
        m.put("Status", "AUTHORISED");
        m.put("UpdatedDateUTC", "");
        m.put("HasAccount", true);
        m.put("IsReconciled", Books.mod(b.hash(Endpoint.PAYMENTS, d.index, 1), 3) != 0);
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("AccountID", b.doc(Endpoint.ACCOUNTS, 0).id);
        account.put("Code", "090");
        m.put("Account", account);
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("Type", f.type());
        invoice.put("InvoiceID", inv.id);
        invoice.put("InvoiceNumber", (f.type().equals("ACCREC") ? "INV-" : "BILL-") + String.format("%05d", inv.index + 1));
        invoice.put("Contact", contactRef(f.contactIndex()));
        invoice.put("CurrencyCode", f.currency());
        m.put("Invoice", invoice);
        m.put("HasValidationErrors", false);
        return m;
    }

    private Map<String, Object> creditNote(Doc d, boolean summary) {
        Endpoint e = Endpoint.CREDIT_NOTES;
        long h = b.hash(e, d.index, 1);
        String type = Books.mod(h, 5) == 0 ? "ACCPAYCREDIT" : "ACCRECCREDIT";
        List<Line> lines = lines(e, d.index, type.equals("ACCRECCREDIT") ? "OUTPUT2" : "INPUT2", type.equals("ACCRECCREDIT") ? "200" : "429").subList(0, 1);
        BigDecimal sub = lines.get(0).lineAmount();
        BigDecimal tax = lines.get(0).taxAmount();
        BigDecimal total = sub.add(tax);
        long s = Books.mod(h >>> 8, 10);
        String status = s < 1 ? "DRAFT" : s < 4 ? "AUTHORISED" : s < 9 ? "PAID" : "VOIDED";
        LocalDate date = MsDate.dateOf(d.createdMillis);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CreditNoteID", d.id);
        m.put("CreditNoteNumber", "CN-" + String.format("%04d", d.index + 1));
        m.put("Type", type);
        m.put("Reference", "");
        m.put("Contact", contactRef((int) Books.mod(h >>> 16, b.contactCount())));
        m.put("DateString", MsDate.dateString(date));
        m.put("Date", MsDate.ofDate(date));
        m.put("Status", status);
        m.put("LineAmountTypes", "Exclusive");
        if (!summary) m.put("LineItems", lineItems(e, d.index, lines));
        m.put("SubTotal", sub);
        m.put("TotalTax", tax);
        m.put("Total", total);
        m.put("UpdatedDateUTC", "");
        m.put("CurrencyCode", b.baseCurrency);
        m.put("CurrencyRate", BigDecimal.ONE.setScale(6));
        m.put("RemainingCredit", status.equals("PAID") || status.equals("VOIDED") ? BigDecimal.ZERO.setScale(2) : total);
        List<Object> allocations = new ArrayList<>();
        if (status.equals("PAID") && b.invoiceCount > 0) {
            int inv = (int) Books.mod(h >>> 24, b.invoiceCount);
            allocations.add(allocation(d, inv, total, date));
        }
        m.put("Allocations", allocations);
        m.put("HasAttachments", false);
        return m;
    }

    private Map<String, Object> allocation(Doc d, int invoiceIndex, BigDecimal amount, LocalDate date) {
        Doc inv = b.doc(Endpoint.INVOICES, invoiceIndex);
        InvoiceFacts f = invoiceFacts(inv);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("AllocationID", b.uuid(d.endpoint.name() + "-allocation", b.tenantNumber, d.index));
        a.put("Amount", amount);
        a.put("Date", MsDate.ofDate(date));
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("InvoiceID", inv.id);
        invoice.put("InvoiceNumber", (f.type().equals("ACCREC") ? "INV-" : "BILL-") + String.format("%05d", inv.index + 1));
        a.put("Invoice", invoice);
        a.put("IsDeleted", false);
        return a;
    }

    private Map<String, Object> prepaymentOrOverpayment(Doc d, boolean summary) {
        Endpoint e = d.endpoint;
        boolean over = e == Endpoint.OVERPAYMENTS;
        long h = b.hash(e, d.index, 1);
        boolean receive = Books.mod(h, 4) != 0;
        List<Line> lines = lines(e, d.index, over ? "NONE" : receive ? "OUTPUT2" : "INPUT2", over ? "610" : receive ? "200" : "429").subList(0, 1);
        BigDecimal sub = lines.get(0).lineAmount();
        BigDecimal tax = over ? BigDecimal.ZERO.setScale(2) : lines.get(0).taxAmount();
        BigDecimal total = sub.add(tax);
        boolean allocated = Books.mod(h >>> 8, 2) == 0;
        LocalDate date = MsDate.dateOf(d.createdMillis);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(e.idField(), d.id);
        m.put("Type", (receive ? "RECEIVE-" : "SPEND-") + (over ? "OVERPAYMENT" : "PREPAYMENT"));
        m.put("Contact", contactRef((int) Books.mod(h >>> 16, b.contactCount())));
        m.put("DateString", MsDate.dateString(date));
        m.put("Date", MsDate.ofDate(date));
        m.put("Status", allocated ? "PAID" : "AUTHORISED");
        m.put("LineAmountTypes", over ? "NoTax" : "Exclusive");
        if (!summary) m.put("LineItems", lineItems(e, d.index, lines));
        m.put("SubTotal", sub);
        m.put("TotalTax", tax);
        m.put("Total", total);
        m.put("UpdatedDateUTC", "");
        m.put("CurrencyCode", b.baseCurrency);
        m.put("CurrencyRate", BigDecimal.ONE.setScale(6));
        m.put("RemainingCredit", allocated ? BigDecimal.ZERO.setScale(2) : total);
        m.put("Allocations", allocated && b.invoiceCount > 0
                ? List.of(allocation(d, (int) Books.mod(h >>> 24, b.invoiceCount), total, date)) : List.of());
        m.put("HasAttachments", false);
        return m;
    }

    private Map<String, Object> bankAccountRef(int accountIndex) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("AccountID", b.doc(Endpoint.ACCOUNTS, accountIndex).id);
        a.put("Code", ACCOUNTS[accountIndex][0]);
        a.put("Name", ACCOUNTS[accountIndex][1]);
        return a;
    }

    private Map<String, Object> bankTransaction(Doc d, boolean summary) {
        Endpoint e = Endpoint.BANK_TRANSACTIONS;
        long h = b.hash(e, d.index, 1);
        boolean receive = Books.mod(h, 3) == 0;
        List<Line> lines = lines(e, d.index, receive ? "OUTPUT2" : "INPUT2", receive ? "260" : new String[] {"400", "404", "453", "469", "489", "493"}[(int) Books.mod(h >>> 4, 6)]);
        BigDecimal sub = lines.stream().map(Line::lineAmount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        BigDecimal tax = lines.stream().map(Line::taxAmount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        LocalDate date = MsDate.dateOf(d.createdMillis);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("BankTransactionID", d.id);
        m.put("Type", receive ? "RECEIVE" : "SPEND");
        m.put("Contact", contactRef((int) Books.mod(h >>> 16, b.contactCount())));
        if (!summary) m.put("LineItems", lineItems(e, d.index, lines));
        m.put("BankAccount", bankAccountRef(0));
        m.put("IsReconciled", Books.mod(h >>> 8, 4) != 0);
        m.put("DateString", MsDate.dateString(date));
        m.put("Date", MsDate.ofDate(date));
        m.put("Reference", receive ? "Deposit" : "Card " + (1000 + Books.mod(h >>> 32, 9000)));
        m.put("CurrencyCode", b.baseCurrency);
        m.put("CurrencyRate", BigDecimal.ONE.setScale(6));
        m.put("Status", Books.mod(h >>> 12, 40) == 0 ? "DELETED" : "AUTHORISED");
        m.put("LineAmountTypes", "Exclusive");
        m.put("SubTotal", sub);
        m.put("TotalTax", tax);
        m.put("Total", sub.add(tax));
        m.put("UpdatedDateUTC", "");
        m.put("HasAttachments", false);
        return m;
    }

    private Map<String, Object> bankTransfer(Doc d) {
        long h = b.hash(Endpoint.BANK_TRANSFERS, d.index, 1);
        boolean toSavings = Books.mod(h, 2) == 0;
        LocalDate date = MsDate.dateOf(d.createdMillis);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("BankTransferID", d.id);
        m.put("CreatedDateUTC", MsDate.withOffset(d.createdMillis));
        m.put("DateString", MsDate.dateString(date));
        m.put("Date", MsDate.ofDate(date));
        m.put("FromBankAccount", bankAccountRef(toSavings ? 0 : 1));
        m.put("ToBankAccount", bankAccountRef(toSavings ? 1 : 0));
        m.put("Amount", new BigDecimal(10_000 + Books.mod(h >>> 8, 5_000_000)).movePointLeft(2));
        m.put("FromBankTransactionID", b.uuid("transfer-from", b.tenantNumber, d.index));
        m.put("ToBankTransactionID", b.uuid("transfer-to", b.tenantNumber, d.index));
        m.put("FromIsReconciled", true);
        m.put("ToIsReconciled", Books.mod(h >>> 4, 3) != 0);
        m.put("CurrencyRate", BigDecimal.ONE.setScale(6));
        m.put("HasAttachments", false);
        return m;
    }

    private Map<String, Object> manualJournal(Doc d) {
        long h = b.hash(Endpoint.MANUAL_JOURNALS, d.index, 1);
        BigDecimal amount = new BigDecimal(5_000 + Books.mod(h, 900_000)).movePointLeft(2);
        LocalDate date = MsDate.dateOf(d.createdMillis);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Date", MsDate.ofDate(date));
        m.put("DateString", MsDate.dateString(date));
        m.put("Status", Books.mod(h >>> 8, 10) == 0 ? "DRAFT" : Books.mod(h >>> 8, 10) == 1 ? "VOIDED" : "POSTED");
        m.put("LineAmountTypes", "NoTax");
        m.put("UpdatedDateUTC", "");
        m.put("ManualJournalID", d.id);
        m.put("Narration", new String[] {"Depreciation", "Accrued wages", "Year-end adjustment", "Reclassify expense"}[(int) Books.mod(h >>> 12, 4)]);
        Map<String, Object> debit = new LinkedHashMap<>();
        debit.put("LineAmount", amount);
        debit.put("AccountCode", "429");
        debit.put("AccountID", b.doc(Endpoint.ACCOUNTS, 7).id);
        debit.put("Description", "Debit");
        debit.put("TaxType", "NONE");
        debit.put("Tracking", Books.mod(h >>> 16, 2) == 0 ? List.of(trackingRef(1, (int) Books.mod(h >>> 20, 3))) : List.of());
        debit.put("IsBlank", false);
        Map<String, Object> credit = new LinkedHashMap<>(debit);
        credit.put("LineAmount", amount.negate());
        credit.put("AccountCode", "970");
        credit.put("AccountID", b.doc(Endpoint.ACCOUNTS, 17).id);
        credit.put("Description", "Credit");
        credit.put("Tracking", List.of());
        m.put("JournalLines", List.of(debit, credit));
        m.put("ShowOnCashBasisReports", true);
        m.put("HasAttachments", false);
        return m;
    }

    Map<String, Object> journal(Books.JournalEntry j) {
        Map<String, Object> m = new LinkedHashMap<>();
        LocalDate date = MsDate.dateOf(j.createdMillis());
        m.put("JournalID", j.journalId());
        m.put("JournalDate", MsDate.ofDate(date));
        m.put("JournalNumber", j.number());
        m.put("CreatedDateUTC", MsDate.withOffset(j.createdMillis()));
        m.put("Reference", j.reversal() ? "Voided" : "");
        m.put("SourceID", j.sourceId());
        m.put("SourceType", j.sourceType());
        List<Object> lines = new ArrayList<>();
        BigDecimal gross = j.net().add(j.tax());
        boolean sale = j.sourceType().startsWith("ACCREC");
        boolean payment = j.sourceType().endsWith("PAYMENT");
        // sales debit receivables and credit revenue and tax; bills the other way round; payments move to the bank
        String control = sale ? "610" : "800";
        BigDecimal s = sale ? BigDecimal.ONE : BigDecimal.ONE.negate();
        if (payment) {
            lines.add(journalLine(j, 0, "090", gross.multiply(s), BigDecimal.ZERO.setScale(2)));
            lines.add(journalLine(j, 1, control, gross.multiply(s).negate(), BigDecimal.ZERO.setScale(2)));
        } else {
            lines.add(journalLine(j, 0, control, gross.multiply(s), BigDecimal.ZERO.setScale(2)));
            lines.add(journalLine(j, 1, j.revenueAccount(), j.net().multiply(s).negate(), j.tax().multiply(s).negate()));
        }
        m.put("JournalLines", lines);
        return m;
    }

    private Map<String, Object> journalLine(Books.JournalEntry j, int k, String code, BigDecimal net, BigDecimal tax) {
        int idx = 0;
        for (int i = 0; i < ACCOUNTS.length; i++) if (ACCOUNTS[i][0].equals(code)) idx = i;
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("JournalLineID", b.uuid("journal-line", b.tenantNumber, j.number() * 4 + k));
        l.put("AccountID", b.doc(Endpoint.ACCOUNTS, idx).id);
        l.put("AccountCode", code);
        l.put("AccountType", ACCOUNTS[idx][2]);
        l.put("AccountName", ACCOUNTS[idx][1]);
        l.put("Description", "");
        l.put("NetAmount", net.setScale(2, RoundingMode.HALF_UP));
        l.put("GrossAmount", net.add(tax).setScale(2, RoundingMode.HALF_UP));
        l.put("TaxAmount", tax.setScale(2, RoundingMode.HALF_UP));
        if (tax.signum() != 0) {
            l.put("TaxType", j.sourceType().startsWith("ACCREC") ? "OUTPUT2" : "INPUT2");
            l.put("TaxName", j.sourceType().startsWith("ACCREC") ? "15% GST on Income" : "15% GST on Expenses");
        }
        l.put("TrackingCategories", List.of());
        return l;
    }

    private Map<String, Object> item(Doc d) {
        Map<String, Object> m = new LinkedHashMap<>();
        BigDecimal price = new BigDecimal(1_000 + Books.mod(b.hash(Endpoint.ITEMS, d.index, 1), 100_000)).movePointLeft(2);
        m.put("ItemID", d.id);
        m.put("Code", "ITEM-" + (d.index + 1));
        m.put("Description", ITEMS[d.index % ITEMS.length]);
        m.put("PurchaseDescription", ITEMS[d.index % ITEMS.length]);
        m.put("UpdatedDateUTC", "");
        m.put("PurchaseDetails", Map.of("UnitPrice", price.multiply(new BigDecimal("0.6")).setScale(2, RoundingMode.HALF_UP), "AccountCode", "310", "TaxType", "INPUT2"));
        m.put("SalesDetails", Map.of("UnitPrice", price, "AccountCode", "200", "TaxType", "OUTPUT2"));
        m.put("Name", ITEMS[d.index % ITEMS.length]);
        m.put("IsTrackedAsInventory", false);
        m.put("IsSold", true);
        m.put("IsPurchased", d.index % 3 == 0);
        return m;
    }

    private Map<String, Object> taxRate(Doc d) {
        String[] t = TAX_RATES[d.index];
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", t[1]);
        m.put("TaxType", t[0]);
        m.put("ReportTaxType", t[0].startsWith("OUTPUT") ? "OUTPUT" : t[0].startsWith("INPUT") ? "INPUT" : "NONE");
        m.put("CanApplyToAssets", true);
        m.put("CanApplyToEquity", true);
        m.put("CanApplyToExpenses", !t[0].startsWith("OUTPUT"));
        m.put("CanApplyToLiabilities", true);
        m.put("CanApplyToRevenue", !t[0].startsWith("INPUT"));
        m.put("DisplayTaxRate", new BigDecimal(t[2]));
        m.put("EffectiveRate", new BigDecimal(t[2]));
        m.put("Status", "ACTIVE");
        m.put("TaxComponents", List.of(Map.of("Name", "GST", "Rate", new BigDecimal(t[2]), "IsCompound", false, "IsNonRecoverable", false)));
        return m;
    }

    private Map<String, Object> trackingCategory(Doc d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", TRACKING[d.index]);
        m.put("Status", "ACTIVE");
        m.put("TrackingCategoryID", d.id);
        List<Object> options = new ArrayList<>();
        for (int o = 0; o < OPTIONS[d.index].length; o++) {
            Map<String, Object> opt = new LinkedHashMap<>();
            opt.put("TrackingOptionID", b.uuid("tracking-option-" + d.index, b.tenantNumber, o));
            opt.put("Name", OPTIONS[d.index][o]);
            opt.put("Status", "ACTIVE");
            opt.put("HasValidationErrors", false);
            options.add(opt);
        }
        m.put("Options", options);
        return m;
    }

    private Map<String, Object> currency(Doc d) {
        Map<String, String> names = Map.of("NZD", "New Zealand Dollar", "AUD", "Australian Dollar", "USD", "United States Dollar",
                "EUR", "Euro", "GBP", "British Pound");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Code", d.id);
        m.put("Description", names.getOrDefault(d.id, d.id));
        return m;
    }

    private Map<String, Object> user(Doc d) {
        String[][] people = {{"Avery", "Ngata"}, {"Blake", "Turner"}, {"Casey", "Wong"}, {"Dana", "Kaur"}};
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("UserID", d.id);
        m.put("EmailAddress", people[d.index][0].toLowerCase() + "@" + b.name.toLowerCase().replaceAll("[^a-z]+", "") + ".example");
        m.put("FirstName", people[d.index][0]);
        m.put("LastName", people[d.index][1]);
        m.put("UpdatedDateUTC", "");
        m.put("IsSubscriber", d.index == 0);
        m.put("OrganisationRole", d.index == 0 ? "FINANCIALADVISER" : d.index == 3 ? "READONLY" : "STANDARD");
        return m;
    }

    private Map<String, Object> purchaseOrder(Doc d, boolean summary) {
        Endpoint e = Endpoint.PURCHASE_ORDERS;
        long h = b.hash(e, d.index, 1);
        List<Line> lines = lines(e, d.index, "INPUT2", "310");
        BigDecimal sub = lines.stream().map(Line::lineAmount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        BigDecimal tax = lines.stream().map(Line::taxAmount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        LocalDate date = MsDate.dateOf(d.createdMillis);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PurchaseOrderID", d.id);
        m.put("PurchaseOrderNumber", "PO-" + String.format("%04d", d.index + 1));
        m.put("DateString", MsDate.dateString(date));
        m.put("Date", MsDate.ofDate(date));
        m.put("DeliveryDateString", MsDate.dateString(date.plusDays(14)));
        m.put("DeliveryDate", MsDate.ofDate(date.plusDays(14)));
        m.put("Contact", contactRef((int) Books.mod(h, b.contactCount())));
        m.put("Status", new String[] {"DRAFT", "SUBMITTED", "AUTHORISED", "BILLED", "BILLED", "BILLED", "DELETED"}[(int) Books.mod(h >>> 8, 7)]);
        m.put("LineAmountTypes", "Exclusive");
        if (!summary) m.put("LineItems", lineItems(e, d.index, lines));
        m.put("SubTotal", sub);
        m.put("TotalTax", tax);
        m.put("Total", sub.add(tax));
        m.put("UpdatedDateUTC", "");
        m.put("CurrencyCode", b.baseCurrency);
        m.put("CurrencyRate", BigDecimal.ONE.setScale(6));
        m.put("Reference", "");
        m.put("HasAttachments", false);
        return m;
    }

    private Map<String, Object> quote(Doc d, boolean summary) {
        Endpoint e = Endpoint.QUOTES;
        long h = b.hash(e, d.index, 1);
        List<Line> lines = lines(e, d.index, "OUTPUT2", "200");
        BigDecimal sub = lines.stream().map(Line::lineAmount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        BigDecimal tax = lines.stream().map(Line::taxAmount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        LocalDate date = MsDate.dateOf(d.createdMillis);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("QuoteID", d.id);
        m.put("QuoteNumber", "QU-" + String.format("%04d", d.index + 1));
        m.put("Reference", "");
        m.put("Terms", "Valid for 30 days");
        m.put("Contact", contactRef((int) Books.mod(h, b.contactCount())));
        if (!summary) m.put("LineItems", lineItems(e, d.index, lines));
        m.put("DateString", MsDate.dateString(date));
        m.put("Date", MsDate.ofDate(date));
        m.put("ExpiryDateString", MsDate.dateString(date.plusDays(30)));
        m.put("ExpiryDate", MsDate.ofDate(date.plusDays(30)));
        m.put("Status", new String[] {"DRAFT", "SENT", "DECLINED", "ACCEPTED", "INVOICED", "INVOICED", "DELETED"}[(int) Books.mod(h >>> 8, 7)]);
        m.put("CurrencyCode", b.baseCurrency);
        m.put("CurrencyRate", BigDecimal.ONE.setScale(6));
        m.put("SubTotal", sub);
        m.put("TotalTax", tax);
        m.put("Total", sub.add(tax));
        m.put("Title", "Quote for " + companyName((int) Books.mod(h, b.contactCount())));
        m.put("LineAmountTypes", "EXCLUSIVE");
        m.put("UpdatedDateUTC", "");
        return m;
    }
}
