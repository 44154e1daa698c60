package dev.tributary.source.xero;

import dev.tributary.spi.Catalog;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.SyncMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every Xero stream: one per Accounting API collection, and child tables (line items, their tracking, allocations,
 * journal lines, tracking options) keyed to their parent. Columns are typed from Xero's schema; every row starts with
 * {@code tenant_id}. Fields Xero adds that are not listed here land in {@code other_fields} (JSON), never dropped.
 */
final class XeroCatalog {
    /** How an endpoint pages. */
    enum Paging { NONE, PAGED, OFFSET }

    /** A collection of the Accounting API. */
    record Endpoint(String path, String key, String idField, Paging paging, String changeField, boolean summaryOnly) {}

    /** What rows a stream makes of an endpoint's documents. */
    enum Kind { DOCUMENT, LINE_ITEMS, LINE_TRACKING, ALLOCATIONS, JOURNAL_LINES, MANUAL_JOURNAL_LINES, TRACKING_OPTIONS }

    /** One column: its name, type, and where its value is in the document (a dotted path; its own name by default). */
    record Column(String name, DataType type, String path) {}

    /** A stream: its name, endpoint, kind, columns (tenant_id first) and primary key. */
    record StreamDef(String name, Endpoint endpoint, Kind kind, List<Column> columns, List<String> primaryKey, String parentId) {
        Schema schema() {
            List<Field> fields = new ArrayList<>();
            for (Column c : columns) fields.add(new Field(c.name(), c.type(), !primaryKey.contains(c.name())));
            return new Schema(fields, primaryKey);
        }

        boolean incremental() {
            return endpoint.paging() == Paging.OFFSET || endpoint.changeField() != null;
        }

        /** Drafts can vanish from these (deleted drafts are purged), so a reconciliation pass looks for them. */
        boolean reconciles() {
            return kind == Kind.DOCUMENT && Set.of("Invoices", "CreditNotes", "PurchaseOrders", "Quotes", "ManualJournals",
                    "BankTransactions", "Contacts", "Overpayments", "Prepayments", "Payments").contains(endpoint.path());
        }
    }

    static final String OTHER = "other_fields";

    private static final Map<String, StreamDef> STREAMS = new LinkedHashMap<>();

    private static final Endpoint ORGANISATION = new Endpoint("Organisation", "Organisations", "OrganisationID", Paging.NONE, null, false);
    private static final Endpoint ACCOUNTS = new Endpoint("Accounts", "Accounts", "AccountID", Paging.NONE, "UpdatedDateUTC", false);
    private static final Endpoint CONTACTS = new Endpoint("Contacts", "Contacts", "ContactID", Paging.PAGED, "UpdatedDateUTC", true);
    private static final Endpoint CONTACT_GROUPS = new Endpoint("ContactGroups", "ContactGroups", "ContactGroupID", Paging.NONE, null, false);
    private static final Endpoint INVOICES = new Endpoint("Invoices", "Invoices", "InvoiceID", Paging.PAGED, "UpdatedDateUTC", true);
    private static final Endpoint CREDIT_NOTES = new Endpoint("CreditNotes", "CreditNotes", "CreditNoteID", Paging.PAGED, "UpdatedDateUTC", false);
    private static final Endpoint PAYMENTS = new Endpoint("Payments", "Payments", "PaymentID", Paging.PAGED, "UpdatedDateUTC", false);
    private static final Endpoint OVERPAYMENTS = new Endpoint("Overpayments", "Overpayments", "OverpaymentID", Paging.PAGED, "UpdatedDateUTC", false);
    private static final Endpoint PREPAYMENTS = new Endpoint("Prepayments", "Prepayments", "PrepaymentID", Paging.PAGED, "UpdatedDateUTC", false);
    private static final Endpoint BANK_TRANSACTIONS = new Endpoint("BankTransactions", "BankTransactions", "BankTransactionID", Paging.PAGED, "UpdatedDateUTC", false);
    private static final Endpoint BANK_TRANSFERS = new Endpoint("BankTransfers", "BankTransfers", "BankTransferID", Paging.NONE, "CreatedDateUTC", false);
    private static final Endpoint MANUAL_JOURNALS = new Endpoint("ManualJournals", "ManualJournals", "ManualJournalID", Paging.PAGED, "UpdatedDateUTC", false);
    private static final Endpoint JOURNALS = new Endpoint("Journals", "Journals", "JournalID", Paging.OFFSET, null, false);
    private static final Endpoint ITEMS = new Endpoint("Items", "Items", "ItemID", Paging.NONE, "UpdatedDateUTC", false);
    private static final Endpoint TAX_RATES = new Endpoint("TaxRates", "TaxRates", "TaxType", Paging.NONE, null, false);
    private static final Endpoint TRACKING_CATEGORIES = new Endpoint("TrackingCategories", "TrackingCategories", "TrackingCategoryID", Paging.NONE, null, false);
    private static final Endpoint CURRENCIES = new Endpoint("Currencies", "Currencies", "Code", Paging.NONE, null, false);
    private static final Endpoint USERS = new Endpoint("Users", "Users", "UserID", Paging.NONE, "UpdatedDateUTC", false);
    private static final Endpoint PURCHASE_ORDERS = new Endpoint("PurchaseOrders", "PurchaseOrders", "PurchaseOrderID", Paging.PAGED, "UpdatedDateUTC", false);
    private static final Endpoint QUOTES = new Endpoint("Quotes", "Quotes", "QuoteID", Paging.PAGED, "UpdatedDateUTC", false);

    private static final String TOTALS = "SubTotal:decimal,TotalTax:decimal,Total:decimal";
    private static final String CONTACT = "ContactID:text:Contact.ContactID,ContactName:text:Contact.Name";

    static {
        doc("organisations", ORGANISATION, "OrganisationID:text,Name:text,LegalName:text,PaysTax:boolean,Version:text,OrganisationType:text,"
                + "BaseCurrency:text,CountryCode:text,IsDemoCompany:boolean,OrganisationStatus:text,RegistrationNumber:text,TaxNumber:text,"
                + "FinancialYearEndDay:integer,FinancialYearEndMonth:integer,SalesTaxBasis:text,SalesTaxPeriod:text,DefaultSalesTax:text,"
                + "DefaultPurchasesTax:text,PeriodLockDate:date,EndOfYearLockDate:date,CreatedDateUTC:timestamp_tz,OrganisationEntityType:text,"
                + "Timezone:text,ShortCode:text,Edition:text,Class:text,APIKey:text");
        doc("accounts", ACCOUNTS, "AccountID:text,Code:text,Name:text,Status:text,Type:text,TaxType:text,Class:text,Description:text,"
                + "EnablePaymentsToAccount:boolean,ShowInExpenseClaims:boolean,BankAccountNumber:text,BankAccountType:text,CurrencyCode:text,"
                + "ReportingCode:text,ReportingCodeName:text,SystemAccount:text,HasAttachments:boolean,AddToWatchlist:boolean,UpdatedDateUTC:timestamp_tz");
        doc("contacts", CONTACTS, "ContactID:text,ContactNumber:text,AccountNumber:text,ContactStatus:text,Name:text,FirstName:text,"
                + "LastName:text,CompanyNumber:text,EmailAddress:text,Website:text,BankAccountDetails:text,TaxNumber:text,"
                + "AccountsReceivableTaxType:text,AccountsPayableTaxType:text,IsSupplier:boolean,IsCustomer:boolean,DefaultCurrency:text,"
                + "Addresses:json,Phones:json,ContactGroups:json,ContactPersons:json,Balances:json,HasAttachments:boolean,"
                + "HasValidationErrors:boolean,UpdatedDateUTC:timestamp_tz");
        doc("contact_groups", CONTACT_GROUPS, "ContactGroupID:text,Name:text,Status:text,Contacts:json");
        doc("invoices", INVOICES, "InvoiceID:text,Type:text,InvoiceNumber:text,Reference:text," + CONTACT + ",Date:date,DueDate:date,"
                + "Status:text,LineAmountTypes:text," + TOTALS + ",TotalDiscount:decimal,AmountDue:decimal,AmountPaid:decimal,"
                + "AmountCredited:decimal,CurrencyCode:text,CurrencyRate:decimal,FullyPaidOnDate:date,ExpectedPaymentDate:date,"
                + "PlannedPaymentDate:date,BrandingThemeID:text,Url:text,SentToContact:boolean,IsDiscounted:boolean,HasAttachments:boolean,"
                + "HasErrors:boolean,Payments:json,CreditNotes:json,Prepayments:json,Overpayments:json,UpdatedDateUTC:timestamp_tz");
        doc("credit_notes", CREDIT_NOTES, "CreditNoteID:text,CreditNoteNumber:text,Type:text,Reference:text," + CONTACT + ",Date:date,"
                + "DueDate:date,Status:text,LineAmountTypes:text," + TOTALS + ",RemainingCredit:decimal,CurrencyCode:text,"
                + "CurrencyRate:decimal,FullyPaidOnDate:date,BrandingThemeID:text,SentToContact:boolean,HasAttachments:boolean,"
                + "Payments:json,UpdatedDateUTC:timestamp_tz");
        doc("payments", PAYMENTS, "PaymentID:text,BatchPaymentID:text,Date:date,Amount:decimal,BankAmount:decimal,CurrencyRate:decimal,"
                + "Reference:text,PaymentType:text,Status:text,IsReconciled:boolean,HasAccount:boolean,AccountID:text:Account.AccountID,"
                + "AccountCode:text:Account.Code,InvoiceID:text:Invoice.InvoiceID,InvoiceNumber:text:Invoice.InvoiceNumber,"
                + "InvoiceType:text:Invoice.Type,ContactID:text:Invoice.Contact.ContactID,CurrencyCode:text:Invoice.CurrencyCode,"
                + "CreditNoteID:text:CreditNote.CreditNoteID,OverpaymentID:text:Overpayment.OverpaymentID,"
                + "PrepaymentID:text:Prepayment.PrepaymentID,HasValidationErrors:boolean,UpdatedDateUTC:timestamp_tz");
        String prepay = "Type:text," + CONTACT + ",Date:date,Status:text,LineAmountTypes:text," + TOTALS + ",RemainingCredit:decimal,"
                + "CurrencyCode:text,CurrencyRate:decimal,Reference:text,HasAttachments:boolean,Payments:json,UpdatedDateUTC:timestamp_tz";
        doc("overpayments", OVERPAYMENTS, "OverpaymentID:text," + prepay);
        doc("prepayments", PREPAYMENTS, "PrepaymentID:text," + prepay);
        doc("bank_transactions", BANK_TRANSACTIONS, "BankTransactionID:text,Type:text," + CONTACT + ",BankAccountID:text:BankAccount.AccountID,"
                + "BankAccountCode:text:BankAccount.Code,IsReconciled:boolean,Date:date,Reference:text,CurrencyCode:text,CurrencyRate:decimal,"
                + "Url:text,Status:text,LineAmountTypes:text," + TOTALS + ",PrepaymentID:text,OverpaymentID:text,HasAttachments:boolean,"
                + "UpdatedDateUTC:timestamp_tz");
        doc("bank_transfers", BANK_TRANSFERS, "BankTransferID:text,FromBankAccountID:text:FromBankAccount.AccountID,"
                + "FromBankAccountCode:text:FromBankAccount.Code,ToBankAccountID:text:ToBankAccount.AccountID,ToBankAccountCode:text:ToBankAccount.Code,"
                + "Amount:decimal,Date:date,CurrencyRate:decimal,FromBankTransactionID:text,ToBankTransactionID:text,FromIsReconciled:boolean,"
                + "ToIsReconciled:boolean,Reference:text,HasAttachments:boolean,CreatedDateUTC:timestamp_tz");
        doc("manual_journals", MANUAL_JOURNALS, "ManualJournalID:text,Narration:text,Date:date,Status:text,LineAmountTypes:text,Url:text,"
                + "ShowOnCashBasisReports:boolean,HasAttachments:boolean,UpdatedDateUTC:timestamp_tz");
        doc("journals", JOURNALS, "JournalID:text,JournalNumber:integer,JournalDate:date,CreatedDateUTC:timestamp_tz,Reference:text,"
                + "SourceID:text,SourceType:text");
        doc("items", ITEMS, "ItemID:text,Code:text,Name:text,Description:text,PurchaseDescription:text,IsSold:boolean,IsPurchased:boolean,"
                + "IsTrackedAsInventory:boolean,InventoryAssetAccountCode:text,TotalCostPool:decimal,QuantityOnHand:decimal,"
                + "SalesUnitPrice:decimal:SalesDetails.UnitPrice,SalesAccountCode:text:SalesDetails.AccountCode,SalesTaxType:text:SalesDetails.TaxType,"
                + "PurchaseUnitPrice:decimal:PurchaseDetails.UnitPrice,PurchaseAccountCode:text:PurchaseDetails.AccountCode,"
                + "PurchaseTaxType:text:PurchaseDetails.TaxType,UpdatedDateUTC:timestamp_tz");
        doc("tax_rates", TAX_RATES, "TaxType:text,Name:text,ReportTaxType:text,Status:text,DisplayTaxRate:decimal,EffectiveRate:decimal,"
                + "CanApplyToAssets:boolean,CanApplyToEquity:boolean,CanApplyToExpenses:boolean,CanApplyToLiabilities:boolean,"
                + "CanApplyToRevenue:boolean,TaxComponents:json");
        doc("tracking_categories", TRACKING_CATEGORIES, "TrackingCategoryID:text,Name:text,Status:text");
        doc("currencies", CURRENCIES, "Code:text,Description:text");
        doc("users", USERS, "UserID:text,EmailAddress:text,FirstName:text,LastName:text,IsSubscriber:boolean,OrganisationRole:text,"
                + "UpdatedDateUTC:timestamp_tz");
        doc("purchase_orders", PURCHASE_ORDERS, "PurchaseOrderID:text,PurchaseOrderNumber:text,Date:date,DeliveryDate:date," + CONTACT + ","
                + "Status:text,LineAmountTypes:text," + TOTALS + ",TotalDiscount:decimal,CurrencyCode:text,CurrencyRate:decimal,Reference:text,"
                + "BrandingThemeID:text,DeliveryAddress:text,AttentionTo:text,Telephone:text,DeliveryInstructions:text,ExpectedArrivalDate:date,"
                + "SentToContact:boolean,HasAttachments:boolean,UpdatedDateUTC:timestamp_tz");
        doc("quotes", QUOTES, "QuoteID:text,QuoteNumber:text,Reference:text,Terms:text," + CONTACT + ",Date:date,ExpiryDate:date,Status:text,"
                + "CurrencyCode:text,CurrencyRate:decimal," + TOTALS + ",TotalDiscount:decimal,Title:text,Summary:text,BrandingThemeID:text,"
                + "LineAmountTypes:text,UpdatedDateUTC:timestamp_tz");

        for (Endpoint e : List.of(INVOICES, CREDIT_NOTES, BANK_TRANSACTIONS, PURCHASE_ORDERS, QUOTES, OVERPAYMENTS, PREPAYMENTS)) {
            String parent = snake(e.path());
            child(parent + "_line_items", e, Kind.LINE_ITEMS, e.idField() + ":text,LineItemID:text,LineNumber:integer,Description:text,"
                    + "Quantity:decimal,UnitAmount:decimal,ItemCode:text,AccountCode:text,AccountID:text,TaxType:text,TaxAmount:decimal,"
                    + "LineAmount:decimal,DiscountRate:decimal,DiscountAmount:decimal", List.of("LineItemID"));
            child(parent + "_line_item_tracking", e, Kind.LINE_TRACKING, e.idField() + ":text,LineItemID:text,TrackingCategoryID:text,"
                    + "TrackingOptionID:text,Name:text,Option:text", List.of("LineItemID", "TrackingCategoryID"));
        }
        for (Endpoint e : List.of(CREDIT_NOTES, OVERPAYMENTS, PREPAYMENTS)) {
            child(snake(e.path()) + "_allocations", e, Kind.ALLOCATIONS, e.idField() + ":text,AllocationID:text,InvoiceID:text:Invoice.InvoiceID,"
                    + "InvoiceNumber:text:Invoice.InvoiceNumber,Amount:decimal,Date:date,IsDeleted:boolean", List.of("AllocationID"));
        }
        child("journal_lines", JOURNALS, Kind.JOURNAL_LINES, "JournalID:text,JournalNumber:integer,JournalLineID:text,AccountID:text,"
                + "AccountCode:text,AccountType:text,AccountName:text,Description:text,NetAmount:decimal,GrossAmount:decimal,TaxAmount:decimal,"
                + "TaxType:text,TaxName:text,TrackingCategories:json", List.of("JournalLineID"));
        child("manual_journal_lines", MANUAL_JOURNALS, Kind.MANUAL_JOURNAL_LINES, "ManualJournalID:text,LineNumber:integer,LineAmount:decimal,"
                + "AccountCode:text,AccountID:text,Description:text,TaxType:text,TaxAmount:decimal,Tracking:json,IsBlank:boolean",
                List.of("ManualJournalID", "LineNumber"));
        child("tracking_options", TRACKING_CATEGORIES, Kind.TRACKING_OPTIONS, "TrackingCategoryID:text,TrackingOptionID:text,Name:text,Status:text",
                List.of("TrackingOptionID"));
    }

    private XeroCatalog() {}

    private static void doc(String name, Endpoint e, String spec) {
        List<Column> cols = columns(spec);
        cols.add(new Column(OTHER, DataType.JSON, null));
        STREAMS.put(name, new StreamDef(name, e, Kind.DOCUMENT, cols, List.of("tenant_id", e.idField()), e.idField()));
    }

    private static void child(String name, Endpoint e, Kind kind, String spec, List<String> key) {
        List<String> pk = new ArrayList<>(List.of("tenant_id"));
        pk.addAll(key);
        STREAMS.put(name, new StreamDef(name, e, kind, columns(spec), pk, e.idField()));
    }

    private static List<Column> columns(String spec) {
        List<Column> out = new ArrayList<>();
        out.add(new Column("tenant_id", DataType.TEXT, null));
        for (String part : spec.split(",")) {
            String[] p = part.split(":");
            out.add(new Column(p[0], DataType.parse(p[1]), p.length > 2 ? p[2] : p[0]));
        }
        return out;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
    }

    static Optional<StreamDef> stream(String name) {
        return Optional.ofNullable(STREAMS.get(name));
    }

    static List<String> names() {
        return List.copyOf(STREAMS.keySet());
    }

    static Catalog catalog(List<String> only) {
        List<StreamDescriptor> out = new ArrayList<>();
        for (StreamDef s : STREAMS.values()) {
            if (!only.isEmpty() && !only.contains(s.name())) continue;
            Set<SyncMode> modes = s.incremental() ? Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL) : Set.of(SyncMode.FULL_REFRESH);
            Optional<String> cursor = s.endpoint().paging() == Paging.OFFSET ? Optional.of("JournalNumber")
                    : Optional.ofNullable(s.kind() == Kind.DOCUMENT ? s.endpoint().changeField() : null);
            out.add(new StreamDescriptor(new StreamId("xero", s.name()), s.schema(), modes, cursor));
        }
        return new Catalog(out);
    }
}
