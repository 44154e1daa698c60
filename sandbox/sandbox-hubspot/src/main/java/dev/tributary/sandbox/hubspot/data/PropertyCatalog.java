package dev.tributary.sandbox.hubspot.data;

import dev.tributary.sandbox.hubspot.data.PropertyDefinition.Option;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The property definitions of every object type, identical in every portal, plus the default properties HubSpot
 * returns when a request names none. Contacts carry several hundred mostly empty hubspot-defined properties, as
 * real portals do, so that asking for all of them in a GET URL runs into the 414 limit.
 */
public final class PropertyCatalog {
    /** How many filler analytics properties contacts get (real portals list 900+ contact properties). */
    public static final int CONTACT_FILLER_PROPERTIES = 420;

    private final Map<ObjectType, Map<String, PropertyDefinition>> byType = new EnumMap<>(ObjectType.class);
    private final Map<ObjectType, List<String>> defaults = new EnumMap<>(ObjectType.class);

    public PropertyCatalog(List<String> ownerIds, List<String> dealPipelineIds, List<String> dealStageIds,
                           List<String> ticketStageIds) {
        for (ObjectType t : ObjectType.values()) byType.put(t, new LinkedHashMap<>());
        List<Option> owners = options(ownerIds.toArray(String[]::new));

        Builder c = new Builder(ObjectType.CONTACTS);
        c.common(owners).text("email", "Email", "contactinformation").text("firstname", "First Name", "contactinformation")
                .text("lastname", "Last Name", "contactinformation").phone("phone", "Phone Number")
                .text("company", "Company Name", "contactinformation").text("jobtitle", "Job Title", "contactinformation")
                .text("city", "City", "contactinformation").text("country", "Country/Region", "contactinformation")
                .enumeration("lifecyclestage", "Lifecycle Stage", "radio", options(SyntheticValues.LIFECYCLE), true)
                .enumeration("hs_lead_status", "Lead Status", "radio", options(SyntheticValues.LEAD_STATUS), false)
                .number("associatedcompanyid", "Primary Associated Company ID", false)
                .datetime("lastmodifieddate", "Last Modified Date").datetime("createdate", "Create Date")
                .bool("hs_email_optout", "Unsubscribed from all email")
                .number("hs_analytics_num_visits", "Number of Sessions", false)
                .text("hs_merged_object_ids", "Merged Contact IDs", "contactinformation")
                .custom("annual_spend", "Annual spend", "number", "number", List.of(), "non_sensitive")
                .custom("interests", "Interests", "enumeration", "checkbox", options(SyntheticValues.INTERESTS), "non_sensitive")
                .custom("date_of_birth", "Date of birth", "date", "date", List.of(), "sensitive")
                .custom("national_id_number", "National ID number", "string", "text", List.of(), "highly_sensitive")
                .custom("favourite_colour", "Favourite colour", "string", "text", List.of(), "non_sensitive");
        String[] areas = {"analytics", "social", "email", "sales", "marketing", "conversion", "web", "ads"};
        String[] measures = {"first", "last", "count", "source", "timestamp", "campaign", "score", "data", "url", "event",
                "medium", "referrer", "id", "type", "date"};
        for (int i = 0; i < CONTACT_FILLER_PROPERTIES; i++) {
            String name = "hs_" + areas[i % areas.length] + "_" + measures[(i / areas.length) % measures.length]
                    + "_" + (i / (areas.length * measures.length) + 1) + "_" + i;
            c.put(new PropertyDefinition(name, "HubSpot " + name.replace('_', ' '), "string", "text", "analyticsinformation",
                    List.of(), i % 3 == 0, false, false, true, "non_sensitive", false));
        }
        defaults.put(ObjectType.CONTACTS, List.of("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"));

        new Builder(ObjectType.COMPANIES).common(owners).text("name", "Company name", "companyinformation")
                .text("domain", "Company Domain Name", "companyinformation")
                .enumeration("industry", "Industry", "select", options(SyntheticValues.INDUSTRIES), false)
                .text("country", "Country/Region", "companyinformation").text("city", "City", "companyinformation")
                .number("numberofemployees", "Number of Employees", false).number("annualrevenue", "Annual Revenue", false)
                .enumeration("lifecyclestage", "Lifecycle Stage", "radio", options(SyntheticValues.LIFECYCLE), true)
                .phone("phone", "Phone Number").datetime("hs_lastmodifieddate", "Last Modified Date")
                .datetime("createdate", "Create Date").text("hs_merged_object_ids", "Merged Company IDs", "companyinformation")
                .custom("customer_tier", "Customer tier", "enumeration", "select", options("gold", "silver", "bronze"), "non_sensitive")
                .custom("employee_band", "Employee band", "number", "number", List.of(), "non_sensitive");
        defaults.put(ObjectType.COMPANIES, List.of("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"));

        new Builder(ObjectType.DEALS).common(owners).text("dealname", "Deal Name", "dealinformation")
                .number("amount", "Amount", true)
                .enumeration("deal_currency_code", "Currency", "select", options("USD", "EUR", "GBP", "CHF", "JPY"), false)
                .enumeration("pipeline", "Pipeline", "select", options(dealPipelineIds.toArray(String[]::new)), false)
                .enumeration("dealstage", "Deal Stage", "radio", options(dealStageIds.toArray(String[]::new)), true)
                .datetime("closedate", "Close Date").datetime("hs_lastmodifieddate", "Last Modified Date")
                .datetime("createdate", "Create Date").bool("hs_is_closed", "Is Deal Closed?")
                .text("hs_merged_object_ids", "Merged Deal IDs", "dealinformation")
                .custom("deal_source_detail", "Deal source detail", "string", "textarea", List.of(), "non_sensitive");
        defaults.put(ObjectType.DEALS, List.of("amount", "closedate", "createdate", "dealname", "dealstage",
                "hs_lastmodifieddate", "hs_object_id", "pipeline"));

        new Builder(ObjectType.TICKETS).common(owners).text("subject", "Ticket name", "ticketinformation")
                .text("content", "Ticket description", "ticketinformation")
                .enumeration("hs_pipeline", "Pipeline", "select", options("0"), false)
                .enumeration("hs_pipeline_stage", "Ticket status", "radio", options(ticketStageIds.toArray(String[]::new)), true)
                .enumeration("hs_ticket_priority", "Priority", "select", options(SyntheticValues.PRIORITIES), false)
                .enumeration("hs_ticket_category", "Category", "checkbox", options(SyntheticValues.TICKET_CATEGORIES), false)
                .datetime("hs_lastmodifieddate", "Last Modified Date").datetime("createdate", "Create Date");
        defaults.put(ObjectType.TICKETS, List.of("content", "createdate", "hs_lastmodifieddate", "hs_object_id",
                "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"));

        new Builder(ObjectType.PRODUCTS).common(null).text("name", "Name", "productinformation")
                .number("price", "Unit price", false).text("hs_sku", "SKU", "productinformation")
                .text("description", "Description", "productinformation")
                .datetime("hs_lastmodifieddate", "Last Modified Date").datetime("createdate", "Create Date");
        defaults.put(ObjectType.PRODUCTS, List.of("createdate", "description", "hs_lastmodifieddate", "hs_object_id", "name", "price"));

        new Builder(ObjectType.LINE_ITEMS).common(null).text("name", "Name", "lineiteminformation")
                .number("hs_product_id", "Product ID", false).number("quantity", "Quantity", false)
                .number("price", "Unit price", false).number("amount", "Net price", false)
                .enumeration("hs_line_item_currency_code", "Currency", "select", options("USD", "EUR", "GBP", "CHF", "JPY"), false)
                .datetime("hs_lastmodifieddate", "Last Modified Date").datetime("createdate", "Create Date");
        defaults.put(ObjectType.LINE_ITEMS, List.of("amount", "createdate", "hs_lastmodifieddate", "hs_object_id",
                "hs_product_id", "name", "price", "quantity"));

        new Builder(ObjectType.SUBSCRIPTIONS).common(null).text("plan_name", "Plan name", "subscription_information")
                .number("mrr", "Monthly recurring revenue", false)
                .enumeration("status", "Status", "select", options(SyntheticValues.SUBSCRIPTION_STATUS), true)
                .date("start_date", "Start date").datetime("hs_lastmodifieddate", "Last Modified Date")
                .datetime("hs_createdate", "Object create date/time");
        defaults.put(ObjectType.SUBSCRIPTIONS, List.of("hs_createdate", "hs_lastmodifieddate", "hs_object_id"));
    }

    public List<PropertyDefinition> properties(ObjectType type) {
        return List.copyOf(byType.get(type).values());
    }

    public PropertyDefinition property(ObjectType type, String name) {
        return byType.get(type).get(name);
    }

    public boolean exists(ObjectType type, String name) {
        return byType.get(type).containsKey(name);
    }

    public List<String> defaultProperties(ObjectType type) {
        return defaults.get(type);
    }

    public List<String> historyTracked(ObjectType type) {
        List<String> out = new ArrayList<>();
        for (PropertyDefinition p : byType.get(type).values()) if (p.historyTracked()) out.add(p.name());
        return Collections.unmodifiableList(out);
    }

    static List<Option> options(String... values) {
        List<Option> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            String label = values[i].isEmpty() ? values[i] : Character.toUpperCase(values[i].charAt(0)) + values[i].substring(1).toLowerCase().replace('_', ' ');
            out.add(new Option(label, values[i], i, false));
        }
        return out;
    }

    private final class Builder {
        private final ObjectType type;

        Builder(ObjectType type) { this.type = type; }

        Builder put(PropertyDefinition d) {
            byType.get(type).put(d.name(), d);
            return this;
        }

        Builder common(List<Option> owners) {
            put(new PropertyDefinition("hs_object_id", "Record ID", "number", "number", type.singular() + "information",
                    List.of(), false, true, false, true, "non_sensitive", false));
            if (owners != null) {
                put(new PropertyDefinition("hubspot_owner_id", type.singular().substring(0, 1).toUpperCase()
                        + type.singular().substring(1) + " owner", "enumeration", "select", type.singular() + "information",
                        owners, false, false, false, true, "non_sensitive", true));
            }
            return this;
        }

        Builder text(String name, String label, String group) {
            return put(new PropertyDefinition(name, label, "string", "text", group, List.of(), false,
                    name.equals("email") || name.equals("domain"), false, true, "non_sensitive", false));
        }

        Builder phone(String name, String label) {
            return put(new PropertyDefinition(name, label, "string", "phonenumber", type.singular() + "information",
                    List.of(), false, false, false, true, "non_sensitive", false));
        }

        Builder number(String name, String label, boolean tracked) {
            return put(new PropertyDefinition(name, label, "number", "number", type.singular() + "information", List.of(),
                    false, false, false, true, "non_sensitive", tracked));
        }

        Builder datetime(String name, String label) {
            return put(new PropertyDefinition(name, label, "datetime", "date", type.singular() + "information", List.of(),
                    false, false, false, true, "non_sensitive", false));
        }

        Builder date(String name, String label) {
            return put(new PropertyDefinition(name, label, "date", "date", type.singular() + "information", List.of(),
                    false, false, false, false, "non_sensitive", false));
        }

        Builder bool(String name, String label) {
            return put(new PropertyDefinition(name, label, "bool", "booleancheckbox", type.singular() + "information",
                    options("true", "false"), false, false, false, true, "non_sensitive", false));
        }

        Builder enumeration(String name, String label, String fieldType, List<Option> options, boolean tracked) {
            return put(new PropertyDefinition(name, label, "enumeration", fieldType, type.singular() + "information",
                    options, false, false, false, true, "non_sensitive", tracked));
        }

        Builder custom(String name, String label, String t, String fieldType, List<Option> options, String sensitivity) {
            return put(new PropertyDefinition(name, label, t, fieldType, type.singular() + "_custom", options, false,
                    false, false, false, sensitivity, false));
        }
    }
}
