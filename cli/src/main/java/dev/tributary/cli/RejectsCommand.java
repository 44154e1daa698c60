package dev.tributary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.project.Project;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.io.PrintWriter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary rejects CONNECTION [--stream S] [--limit N] [--json]}: the input a connection's syncs rejected
 * ({@code on_error: reject}), newest first, with the reason and where it came from (file:line), read from the
 * {@code _tributary_rejects} tables of the destination. Exit code 0; 2 for an unknown connection or stream.
 */
@Command(name = "rejects", description = {"Print the input a connection's syncs rejected (on_error: reject), newest first.",
        "Each row comes with the reason and where it came from."})
final class RejectsCommand implements Callable<Integer> {
    private static final String TABLE = "_tributary_rejects";

    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONNECTION", description = "The connection whose rejected input to show.")
    String connection;

    @Option(names = "--stream", description = "Only this stream's.")
    String stream;

    @Option(names = "--limit", defaultValue = "20", description = "Rows to print (default: ${DEFAULT-VALUE}); the total is always counted.")
    int limit;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    private record Reject(String stream, String runId, String origin, String reason, String raw, Object rejectedAt) {}

    @Override
    public Integer call() throws Exception {
        Project project = Project.load(root.projectDir, root.environment, root.connectors);
        project.connection(connection);
        LakehouseSources.refresh(project, spec.commandLine().getErr()::println);
        Optional<WarehouseReader> opened = WarehouseReader.open(TransformArgs.warehouseOf(project));
        List<Reject> rows = new ArrayList<>();
        long total = 0;
        List<String> where = new ArrayList<>();
        if (opened.isPresent()) {
            try (WarehouseReader reader = opened.get()) {
                List<WarehouseReader.TableRef> tables = reader.tables().stream().filter(t -> t.table().equals(TABLE)).toList();
                List<String> streams = new ArrayList<>();
                for (WarehouseReader.TableRef t : tables) streams.addAll(streams(reader, WarehouseReader.relation(reader.target(), t)));
                String only = stream == null ? null : pick(streams);
                for (WarehouseReader.TableRef t : tables) {
                    String relation = WarehouseReader.relation(reader.target(), t);
                    long n = count(reader, relation, only);
                    if (n == 0) continue;
                    total += n;
                    where.add(t.display());
                    rows.addAll(read(reader, relation, only));
                }
            }
        } else if (stream != null) {
            pick(List.of());
        }
        rows.sort((a, b) -> String.valueOf(b.rejectedAt).compareTo(String.valueOf(a.rejectedAt)));
        List<Reject> shown = rows.subList(0, Math.min(rows.size(), Math.max(0, limit)));
        PrintWriter out = spec.commandLine().getOut();
        String what = connection + (stream == null ? "" : " stream " + stream);
        if (json) {
            out.println(toJson(total, shown));
            return ExitCode.OK;
        }
        if (total == 0) {
            out.println("No rejected input for " + what + ".");
            return ExitCode.OK;
        }
        out.println(what + ": " + Table.count(total) + " rejected " + (total == 1 ? "record" : "records") + " (in " + String.join(", ", where) + ")"
                + (shown.size() < total ? "; the newest " + shown.size() + " (--limit N for more)" : ""));
        Table t = new Table(List.of("rejected at", "stream", "origin", "reason", "raw"));
        for (Reject r : shown) {
            t.row(r.rejectedAt, r.stream, r.origin, WarehouseReader.shorten(r.reason, 100), WarehouseReader.shorten(r.raw == null ? "" : r.raw, 80));
        }
        t.print(out, "  ");
        return ExitCode.OK;
    }

    /** The stored stream name {@code --stream} means: as stored ({@code namespace.name}) or its last part. */
    private String pick(List<String> streams) {
        for (String s : streams) if (s.equals(stream)) return s;
        for (String s : streams) if (s.endsWith("." + stream) || s.equalsIgnoreCase(stream)) return s;
        throw new ConfigException("--stream", stream, "no rejected input for that stream of connection " + connection
                + (streams.isEmpty() ? " (it has none)" : "; streams with rejects: " + String.join(", ", streams)) + Config.didYouMean(stream, streams));
    }

    private List<String> streams(WarehouseReader reader, String relation) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = reader.connection().prepareStatement("select distinct stream from " + relation + " where connection = ? order by 1")) {
            p.setString(1, connection);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private long count(WarehouseReader reader, String relation, String only) throws SQLException {
        try (PreparedStatement p = reader.connection().prepareStatement("select count(*) from " + relation + " where connection = ?"
                + (only == null ? "" : " and stream = ?"))) {
            p.setString(1, connection);
            if (only != null) p.setString(2, only);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<Reject> read(WarehouseReader reader, String relation, String only) throws SQLException {
        List<Reject> out = new ArrayList<>();
        try (PreparedStatement p = reader.connection().prepareStatement("select stream, run_id, origin, reason, raw, rejected_at from " + relation
                + " where connection = ?" + (only == null ? "" : " and stream = ?") + " order by rejected_at desc limit " + Math.max(0, limit))) {
            p.setString(1, connection);
            if (only != null) p.setString(2, only);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Reject(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getObject(6)));
                }
            }
        }
        return out;
    }

    private String toJson(long total, List<Reject> shown) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode doc = mapper.createObjectNode();
        doc.put("ok", true);
        doc.put("connection", connection);
        if (stream != null) doc.put("stream", stream);
        doc.put("total", total);
        ArrayNode arr = doc.putArray("rejects");
        for (Reject r : shown) {
            arr.addObject().put("stream", r.stream).put("run_id", r.runId).put("origin", r.origin).put("reason", r.reason).put("raw", r.raw)
                    .put("rejected_at", String.valueOf(r.rejectedAt));
        }
        return mapper.writeValueAsString(doc);
    }
}
