package dev.tributary.sandbox.xero.data;

import java.util.Locale;
import java.util.Optional;

/** The Accounting API collections the sandbox serves: URL name, JSON array key, id field, paging and change field. */
public enum Endpoint {
    ORGANISATION("Organisation", "Organisations", "OrganisationID", Paging.NONE, null),
    ACCOUNTS("Accounts", "Accounts", "AccountID", Paging.NONE, "UpdatedDateUTC"),
    CONTACTS("Contacts", "Contacts", "ContactID", Paging.PAGED, "UpdatedDateUTC"),
    CONTACT_GROUPS("ContactGroups", "ContactGroups", "ContactGroupID", Paging.NONE, null),
    INVOICES("Invoices", "Invoices", "InvoiceID", Paging.PAGED, "UpdatedDateUTC"),
    CREDIT_NOTES("CreditNotes", "CreditNotes", "CreditNoteID", Paging.PAGED, "UpdatedDateUTC"),
    PAYMENTS("Payments", "Payments", "PaymentID", Paging.PAGED, "UpdatedDateUTC"),
    OVERPAYMENTS("Overpayments", "Overpayments", "OverpaymentID", Paging.PAGED, "UpdatedDateUTC"),
    PREPAYMENTS("Prepayments", "Prepayments", "PrepaymentID", Paging.PAGED, "UpdatedDateUTC"),
    BANK_TRANSACTIONS("BankTransactions", "BankTransactions", "BankTransactionID", Paging.PAGED, "UpdatedDateUTC"),
    BANK_TRANSFERS("BankTransfers", "BankTransfers", "BankTransferID", Paging.NONE, "CreatedDateUTC"),
    MANUAL_JOURNALS("ManualJournals", "ManualJournals", "ManualJournalID", Paging.PAGED, "UpdatedDateUTC"),
    JOURNALS("Journals", "Journals", "JournalID", Paging.OFFSET, "CreatedDateUTC"),
    ITEMS("Items", "Items", "ItemID", Paging.NONE, "UpdatedDateUTC"),
    TAX_RATES("TaxRates", "TaxRates", "TaxType", Paging.NONE, null),
    TRACKING_CATEGORIES("TrackingCategories", "TrackingCategories", "TrackingCategoryID", Paging.NONE, null),
    CURRENCIES("Currencies", "Currencies", "Code", Paging.NONE, null),
    USERS("Users", "Users", "UserID", Paging.NONE, "UpdatedDateUTC"),
    PURCHASE_ORDERS("PurchaseOrders", "PurchaseOrders", "PurchaseOrderID", Paging.PAGED, "UpdatedDateUTC"),
    QUOTES("Quotes", "Quotes", "QuoteID", Paging.PAGED, "UpdatedDateUTC");

    /** How a collection pages: not at all, by page and pageSize, or by offset (Journals). */
    public enum Paging { NONE, PAGED, OFFSET }

    private final String path;
    private final String key;
    private final String idField;
    private final Paging paging;
    private final String changeField;

    Endpoint(String path, String key, String idField, Paging paging, String changeField) {
        this.path = path;
        this.key = key;
        this.idField = idField;
        this.paging = paging;
        this.changeField = changeField;
    }

    public String path() { return path; }
    public String key() { return key; }
    public String idField() { return idField; }
    public Paging paging() { return paging; }
    /** The field If-Modified-Since is compared with, or null when the collection ignores it. */
    public String changeField() { return changeField; }

    /** The collection named in a URL path segment; Xero's paths are case-insensitive. */
    public static Optional<Endpoint> ofPath(String segment) {
        for (Endpoint e : values()) if (e.path.equalsIgnoreCase(segment)) return Optional.of(e);
        return Optional.empty();
    }

    /** The control API's name for it: invoices, credit_notes... */
    public String controlName() { return name().toLowerCase(Locale.ROOT); }

    public static Endpoint ofControlName(String name) {
        for (Endpoint e : values()) {
            if (e.controlName().equalsIgnoreCase(name) || e.path.equalsIgnoreCase(name)) return e;
        }
        throw new IllegalArgumentException("no collection '" + name + "'");
    }
}
