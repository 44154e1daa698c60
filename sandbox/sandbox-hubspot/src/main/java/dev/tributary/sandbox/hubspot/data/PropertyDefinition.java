package dev.tributary.sandbox.hubspot.data;

import java.util.List;
import java.util.Objects;

/**
 * One property of an object type as the properties API describes it. {@code type} is HubSpot's storage type
 * (string, number, date, datetime, bool, enumeration, phone_number); {@code dataSensitivity} is non_sensitive,
 * sensitive or highly_sensitive; {@code historyTracked} marks properties whose changes the sandbox records.
 */
public record PropertyDefinition(String name, String label, String type, String fieldType, String groupName,
                                 List<Option> options, boolean calculated, boolean hasUniqueValue, boolean hidden,
                                 boolean hubspotDefined, String dataSensitivity, boolean historyTracked) {
    public PropertyDefinition {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
        options = List.copyOf(options);
    }

    public record Option(String label, String value, int displayOrder, boolean hidden) {}

    public boolean isDatetime() { return type.equals("datetime"); }
    public boolean isDate() { return type.equals("date"); }
    public boolean isNumber() { return type.equals("number"); }
}
