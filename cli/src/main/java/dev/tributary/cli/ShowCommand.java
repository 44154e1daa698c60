package dev.tributary.cli;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.transform.Node;
import dev.tributary.transform.ResourceType;
import dev.tributary.transform.TransformProject;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary show MODEL...}: the first rows of built models (or seeds, snapshots) as tables, with their row
 * counts, read from the warehouse. Exit code 0; 1 when a relation cannot be read (not built yet); 2 for an unknown name.
 */
@Command(name = "show", description = "Print the first rows of built models, seeds or snapshots, and their row counts.")
final class ShowCommand implements Callable<Integer> {
    private static final Set<ResourceType> SHOWN = Set.of(ResourceType.MODEL, ResourceType.SEED, ResourceType.SNAPSHOT);

    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TransformArgs args;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Models, seeds or snapshots to show.")
    List<String> names = new ArrayList<>();

    @Option(names = "--limit", defaultValue = "10", description = "Rows to print per relation (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--order-by", paramLabel = "SQL", description = "An ORDER BY expression for the rows shown, e.g. 'total desc'.")
    String orderBy;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        TransformProject project = args.load(root.projectDir, root);
        List<Node> nodes = new ArrayList<>();
        for (String name : names) {
            Node node = project.nodes().values().stream().filter(n -> SHOWN.contains(n.resourceType()) && n.name().equals(name)).findFirst()
                    .orElseThrow(() -> new ConfigException(project.root().toString(), name, "no model, seed or snapshot of that name"
                            + Config.didYouMean(name, project.nodes().values().stream().filter(n -> SHOWN.contains(n.resourceType()))
                                    .map(Node::name).toList())));
            if ("ephemeral".equals(node.materialized())) {
                throw new ConfigException(node.path(), name, "is ephemeral: it has no relation in the warehouse to show");
            }
            nodes.add(node);
        }
        int code = ExitCode.OK;
        try (Connection c = project.target().connect(); Statement s = c.createStatement()) {
            for (Node node : nodes) {
                String relation = project.target().dialect().relation(node.schema(), node.identifier());
                try {
                    long count;
                    try (ResultSet rs = s.executeQuery("select count(*) from " + relation)) {
                        rs.next();
                        count = rs.getLong(1);
                    }
                    out.println(node.name() + " (" + relation + "): " + Table.count(count) + (count == 1 ? " row" : " rows"));
                    String order = orderBy == null || orderBy.isBlank() ? "" : " order by " + orderBy;
                    try (ResultSet rs = s.executeQuery("select * from " + relation + order + " limit " + Math.max(0, limit))) {
                        print(rs, out);
                    }
                } catch (SQLException e) {
                    spec.commandLine().getErr().println("tributary show: cannot read " + relation + " (" + node.name() + "): "
                            + e.getMessage().lines().findFirst().orElse("") + "; build it first (tributary build -s " + node.name() + ")");
                    code = ExitCode.FAILED;
                }
                out.println();
            }
        }
        return code;
    }

    private static void print(ResultSet rs, PrintWriter out) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String> headers = new ArrayList<>();
        boolean[] numeric = new boolean[n];
        for (int i = 1; i <= n; i++) {
            headers.add(meta.getColumnLabel(i));
            numeric[i - 1] = switch (meta.getColumnType(i)) {
                case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.DECIMAL, Types.NUMERIC, Types.DOUBLE, Types.FLOAT, Types.REAL -> true;
                default -> false;
            };
        }
        Table table = new Table(headers, numeric);
        while (rs.next()) {
            Object[] cells = new Object[n];
            for (int i = 1; i <= n; i++) {
                Object v = rs.getObject(i);
                cells[i - 1] = v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : v;
            }
            table.row(cells);
        }
        table.print(out, "  ");
    }
}
