package dev.tributary.sandbox.snowflake;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A statement's answer in Snowflake's terms: rowtype, rowset (JSON strings) and the statement type id the driver uses
 * to tell a query from DML (whose update count it sums from the row) or DDL; {@code transfer} (PUT and GET only) holds
 * the stage fields the driver's file transfer agent reads.
 */
record QueryResult(ArrayNode rowtype, ArrayNode rowset, long statementTypeId, ObjectNode transfer) {
    static final long SELECT = 0x1000;
    static final long INSERT = 0x3100;
    static final long UPDATE = 0x3200;
    static final long DELETE = 0x3300;
    static final long MERGE = 0x3400;
    static final long COPY = 0x3600;
    static final long LIST = 0x4701;
    static final long GET = 0x7101;
    static final long PUT = 0x7102;
    static final long REMOVE = 0x7103;
    static final long ALTER_SESSION = 0x4100;
    static final long USE = 0x4300;
    static final long SHOW = 0x4400;
    static final long DESCRIBE = 0x4500;
    static final long TCL = 0x5000;
    static final long DDL = 0x6000;

    QueryResult {
        requireNonNull(rowtype, "rowtype is null");
        requireNonNull(rowset, "rowset is null");
    }

    QueryResult(ArrayNode rowtype, ArrayNode rowset, long statementTypeId) {
        this(rowtype, rowset, statementTypeId, null);
    }

    /** The answer to PUT or GET: no rows, the fields the driver's file transfer agent reads (command, stageInfo...). */
    static QueryResult fileTransfer(ObjectNode fields, long statementTypeId) {
        return new QueryResult(JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.arrayNode(), statementTypeId, fields);
    }

    /** A result of text columns built here (SHOW, DESCRIBE, status messages). */
    static QueryResult text(List<String> names, List<List<String>> rows, long statementTypeId) {
        ArrayNode types = JsonNodeFactory.instance.arrayNode();
        for (String n : names) types.add(ResultEncoder.rowtypeEntry(n, ResultEncoder.ColumnType.text()));
        ArrayNode set = JsonNodeFactory.instance.arrayNode();
        for (List<String> r : rows) {
            ArrayNode row = set.addArray();
            for (String v : r) if (v == null) row.addNull(); else row.add(v);
        }
        return new QueryResult(types, set, statementTypeId);
    }

    /** Snowflake's one-row status answer, e.g. "Statement executed successfully.". */
    static QueryResult status(String message, long statementTypeId) {
        return text(List.of("status"), List.of(List.of(message)), statementTypeId);
    }

    /** A DML answer: one fixed column per count, which the driver sums into the update count. */
    static QueryResult dml(String column, long count, long statementTypeId) {
        ArrayNode types = JsonNodeFactory.instance.arrayNode();
        types.add(ResultEncoder.rowtypeEntry(column, ResultEncoder.ColumnType.fixed(38, 0)));
        ArrayNode set = JsonNodeFactory.instance.arrayNode();
        set.addArray().add(Long.toString(count));
        return new QueryResult(types, set, statementTypeId);
    }

    int rows() {
        return rowset.size();
    }
}
