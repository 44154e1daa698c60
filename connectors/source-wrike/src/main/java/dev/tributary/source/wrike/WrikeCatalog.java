package dev.tributary.source.wrike;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.Catalog;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.SyncMode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The Wrike streams: what each reads, its columns and how a Wrike object becomes rows. Tasks feed five streams (tasks and
 * the child tables task_custom_fields, task_responsibles, task_parents, task_super_tasks); workflows feed custom_statuses.
 */
final class WrikeCatalog {
    /** How a stream is read. */
    enum Kind { LIST, TASKS, FOLDERS, DATED, DEPENDENCIES }

    /** One column: name, type and the path of its value in the object (a/b for nested fields). */
    record Column(String name, DataType type, String path) {}

    /** A stream: its name, the endpoint, the kind of read, columns, key, and for child tables the parent column. */
    record StreamDef(String name, String path, String kind, Kind read, List<Column> columns, List<String> key, String parentColumn,
            String dateField) {
        Schema schema() {
            List<Field> fields = new ArrayList<>();
            for (Column c : columns) fields.add(new Field(c.name(), c.type(), !key.contains(c.name())));
            return new Schema(fields, key);
        }

        boolean incremental() { return read == Kind.TASKS || read == Kind.DATED; }
        boolean child() { return parentColumn != null; }
    }

    private static Column c(String name, DataType t, String path) { return new Column(name, t, path); }
    private static Column c(String name, DataType t) { return new Column(name, t, null); }

    static final String TASK_FIELDS = "[\"authorIds\",\"parentIds\",\"superTaskIds\",\"responsibleIds\",\"description\",\"customFields\",\"effortAllocation\",\"dependencyIds\"]";

    private static final List<StreamDef> STREAMS = List.of(
            new StreamDef("account", "/account", "accounts", Kind.LIST, List.of(c("id", DataType.TEXT, "id"), c("name", DataType.TEXT, "name"),
                    c("date_format", DataType.TEXT, "dateFormat"), c("first_day_of_week", DataType.TEXT, "firstDayOfWeek"),
                    c("root_folder_id", DataType.TEXT, "rootFolderId"), c("recycle_bin_id", DataType.TEXT, "recycleBinId"),
                    c("created_date", DataType.TIMESTAMP_TZ, "createdDate"), c("joined_date", DataType.TIMESTAMP_TZ, "joinedDate")), List.of("id"), null, null),
            new StreamDef("contacts", "/contacts?deleted=true", "contacts", Kind.LIST, List.of(c("id", DataType.TEXT, "id"), c("type", DataType.TEXT, "type"),
                    c("first_name", DataType.TEXT, "firstName"), c("last_name", DataType.TEXT, "lastName"), c("email", DataType.TEXT, "primaryEmail"),
                    c("role", DataType.TEXT, "profiles/0/role"), c("is_admin", DataType.BOOLEAN, "profiles/0/admin"),
                    c("is_external", DataType.BOOLEAN, "profiles/0/external"), c("title", DataType.TEXT, "title"), c("timezone", DataType.TEXT, "timezone"),
                    c("deleted", DataType.BOOLEAN, "deleted"), c("member_ids", DataType.JSON, "memberIds")), List.of("id"), null, null),
            new StreamDef("spaces", "/spaces", "spaces", Kind.LIST, List.of(c("id", DataType.TEXT, "id"), c("title", DataType.TEXT, "title"),
                    c("access_type", DataType.TEXT, "accessType"), c("archived", DataType.BOOLEAN, "archived")), List.of("id"), null, null),
            new StreamDef("folders", "/folders", "folders", Kind.FOLDERS, List.of(c("id", DataType.TEXT, "id"), c("title", DataType.TEXT, "title"),
                    c("scope", DataType.TEXT, "scope"), c("created_date", DataType.TIMESTAMP_TZ, "createdDate"), c("updated_date", DataType.TIMESTAMP_TZ, "updatedDate"),
                    c("parent_id", DataType.TEXT, "parentIds/0"), c("parent_ids", DataType.JSON, "parentIds"), c("child_ids", DataType.JSON, "childIds"),
                    c("workflow_id", DataType.TEXT, "workflowId"), c("permalink", DataType.TEXT, "permalink"), c("is_project", DataType.BOOLEAN),
                    c("project_status", DataType.TEXT, "project/status"), c("project_custom_status_id", DataType.TEXT, "project/customStatusId"),
                    c("project_author_id", DataType.TEXT, "project/authorId"), c("project_owner_ids", DataType.JSON, "project/ownerIds"),
                    c("project_start_date", DataType.DATE, "project/startDate"), c("project_end_date", DataType.DATE, "project/endDate"),
                    c("project_created_date", DataType.TIMESTAMP_TZ, "project/createdDate"),
                    c("project_completed_date", DataType.TIMESTAMP_TZ, "project/completedDate")), List.of("id"), null, null),
            new StreamDef("workflows", "/workflows", "workflows", Kind.LIST, List.of(c("id", DataType.TEXT, "id"), c("name", DataType.TEXT, "name"),
                    c("standard", DataType.BOOLEAN, "standard"), c("hidden", DataType.BOOLEAN, "hidden")), List.of("id"), null, null),
            new StreamDef("custom_statuses", "/workflows", "workflows", Kind.LIST, List.of(c("id", DataType.TEXT, "id"), c("workflow_id", DataType.TEXT),
                    c("name", DataType.TEXT, "name"), c("group", DataType.TEXT, "group"), c("color", DataType.TEXT, "color"),
                    c("standard", DataType.BOOLEAN, "standard"), c("hidden", DataType.BOOLEAN, "hidden")), List.of("id"), null, null),
            new StreamDef("custom_fields", "/customfields", "customfields", Kind.LIST, List.of(c("id", DataType.TEXT, "id"), c("title", DataType.TEXT, "title"),
                    c("type", DataType.TEXT, "type"), c("settings", DataType.JSON, "settings")), List.of("id"), null, null),
            new StreamDef("tasks", "/tasks", "tasks", Kind.TASKS, List.of(c("id", DataType.TEXT, "id"), c("account_id", DataType.TEXT, "accountId"),
                    c("title", DataType.TEXT, "title"), c("description", DataType.TEXT, "description"), c("status", DataType.TEXT, "status"),
                    c("importance", DataType.TEXT, "importance"), c("custom_status_id", DataType.TEXT, "customStatusId"),
                    c("created_date", DataType.TIMESTAMP_TZ, "createdDate"), c("updated_date", DataType.TIMESTAMP_TZ, "updatedDate"),
                    c("completed_date", DataType.TIMESTAMP_TZ, "completedDate"), c("dates_type", DataType.TEXT, "dates/type"),
                    c("start_date", DataType.TIMESTAMP, "dates/start"), c("due_date", DataType.TIMESTAMP, "dates/due"),
                    c("duration_minutes", DataType.INTEGER, "dates/duration"), c("scope", DataType.TEXT, "scope"),
                    c("author_id", DataType.TEXT, "authorIds/0"), c("effort_mode", DataType.TEXT, "effortAllocation/mode"),
                    c("total_effort_minutes", DataType.INTEGER, "effortAllocation/totalEffort"), c("permalink", DataType.TEXT, "permalink"),
                    c("priority", DataType.TEXT, "priority"), c("custom_fields", DataType.JSON, "customFields")), List.of("id"), null, "updatedDate"),
            new StreamDef("task_custom_fields", "/tasks", "tasks", Kind.TASKS, List.of(c("task_id", DataType.TEXT), c("field_id", DataType.TEXT),
                    c("field_title", DataType.TEXT), c("field_type", DataType.TEXT), c("value", DataType.TEXT), c("value_number", DataType.DECIMAL),
                    c("value_date", DataType.DATE), c("value_boolean", DataType.BOOLEAN)), List.of("task_id", "field_id"), "task_id", "updatedDate"),
            new StreamDef("task_responsibles", "/tasks", "tasks", Kind.TASKS, List.of(c("task_id", DataType.TEXT), c("user_id", DataType.TEXT)),
                    List.of("task_id", "user_id"), "task_id", "updatedDate"),
            new StreamDef("task_parents", "/tasks", "tasks", Kind.TASKS, List.of(c("task_id", DataType.TEXT), c("folder_id", DataType.TEXT)),
                    List.of("task_id", "folder_id"), "task_id", "updatedDate"),
            new StreamDef("task_super_tasks", "/tasks", "tasks", Kind.TASKS, List.of(c("task_id", DataType.TEXT), c("super_task_id", DataType.TEXT)),
                    List.of("task_id", "super_task_id"), "task_id", "updatedDate"),
            new StreamDef("comments", "/comments", "comments", Kind.DATED, List.of(c("id", DataType.TEXT, "id"), c("task_id", DataType.TEXT, "taskId"),
                    c("folder_id", DataType.TEXT, "folderId"), c("author_id", DataType.TEXT, "authorId"), c("text", DataType.TEXT, "text"),
                    c("created_date", DataType.TIMESTAMP_TZ, "createdDate"), c("updated_date", DataType.TIMESTAMP_TZ, "updatedDate")), List.of("id"), null, "updatedDate"),
            new StreamDef("timelogs", "/timelogs", "timelogs", Kind.DATED, List.of(c("id", DataType.TEXT, "id"), c("task_id", DataType.TEXT, "taskId"),
                    c("user_id", DataType.TEXT, "userId"), c("hours", DataType.DECIMAL, "hours"), c("tracked_date", DataType.DATE, "trackedDate"),
                    c("created_date", DataType.TIMESTAMP_TZ, "createdDate"), c("updated_date", DataType.TIMESTAMP_TZ, "updatedDate"),
                    c("comment", DataType.TEXT, "comment"), c("category_id", DataType.TEXT, "categoryId")), List.of("id"), null, "updatedDate"),
            new StreamDef("attachments", "/attachments", "attachments", Kind.LIST, List.of(c("id", DataType.TEXT, "id"), c("task_id", DataType.TEXT, "taskId"),
                    c("folder_id", DataType.TEXT, "folderId"), c("author_id", DataType.TEXT, "authorId"), c("name", DataType.TEXT, "name"),
                    c("created_date", DataType.TIMESTAMP_TZ, "createdDate"), c("version", DataType.INTEGER, "version"), c("type", DataType.TEXT, "type"),
                    c("content_type", DataType.TEXT, "contentType"), c("size", DataType.INTEGER, "size")), List.of("id"), null, null),
            new StreamDef("approvals", "/approvals", "approvals", Kind.LIST, List.of(c("id", DataType.TEXT, "id"), c("title", DataType.TEXT, "title"),
                    c("status", DataType.TEXT, "status"), c("author_id", DataType.TEXT, "authorId"), c("due_date", DataType.DATE, "dueDate"),
                    c("updated_date", DataType.TIMESTAMP_TZ, "updatedDate"), c("finished_date", DataType.TIMESTAMP_TZ, "finishedDate"),
                    c("task_ids", DataType.JSON, "taskIds"), c("folder_ids", DataType.JSON, "folderIds"), c("decisions", DataType.JSON, "decisions")), List.of("id"), null, null),
            new StreamDef("dependencies", "/dependencies", "dependencies", Kind.DEPENDENCIES, List.of(c("id", DataType.TEXT, "id"),
                    c("predecessor_id", DataType.TEXT, "predecessorId"), c("successor_id", DataType.TEXT, "successorId"),
                    c("relation_type", DataType.TEXT, "relationType")), List.of("id"), null, null));

    private WrikeCatalog() {}

    static Optional<StreamDef> stream(String name) {
        return STREAMS.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    static List<String> names() {
        return STREAMS.stream().map(StreamDef::name).toList();
    }

    static Catalog catalog(List<String> only) {
        List<StreamDescriptor> out = new ArrayList<>();
        for (StreamDef s : STREAMS) {
            if (!only.isEmpty() && !only.contains(s.name())) continue;
            out.add(new StreamDescriptor(new StreamId("wrike", s.name()), s.schema(),
                    s.incremental() ? EnumSet.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL) : EnumSet.of(SyncMode.FULL_REFRESH),
                    s.dateField() == null ? Optional.empty() : Optional.of("updated_date")));
        }
        return new Catalog(out);
    }

    /** The value at a/b/0 in an object, or null. */
    static JsonNode at(JsonNode o, String path) {
        JsonNode n = o;
        for (String p : path.split("/")) {
            if (n == null || n.isMissingNode() || n.isNull()) return null;
            n = Character.isDigit(p.charAt(0)) ? n.path(Integer.parseInt(p)) : n.path(p);
        }
        return n == null || n.isMissingNode() || n.isNull() ? null : n;
    }

    /** Converts a Wrike value to the column type; throws IllegalArgumentException when it does not fit. */
    static Object convert(JsonNode v, DataType type) {
        if (v == null) return null;
        return switch (type) {
            case TEXT -> v.isValueNode() ? v.asText() : v.toString();
            case BOOLEAN -> v.isBoolean() ? v.asBoolean() : Boolean.parseBoolean(v.asText());
            case INTEGER -> v.isIntegralNumber() ? v.asLong() : Long.parseLong(v.asText().trim());
            case DECIMAL -> v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
            case NUMBER -> v.asDouble();
            case DATE -> LocalDate.parse(v.asText().substring(0, 10));
            case TIMESTAMP -> LocalDateTime.parse(v.asText().endsWith("Z") ? v.asText().substring(0, v.asText().length() - 1) : v.asText());
            case TIMESTAMP_TZ -> Instant.parse(v.asText());
            case JSON -> new JsonText(v.toString());
        };
    }
}
