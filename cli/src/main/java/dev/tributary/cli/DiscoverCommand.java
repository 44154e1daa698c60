package dev.tributary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.project.Workspace;
import dev.tributary.spi.Catalog;
import dev.tributary.spi.Field;
import dev.tributary.spi.StreamDescriptor;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary discover [connection] [--json]}: lists each connection's streams with their fields, types,
 * primary keys and sync modes. Exit code 0, 1 when a source cannot be read, 2 on a configuration error.
 */
@Command(name = "discover", description = "List the streams each connection offers, with fields and types.")
final class DiscoverCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "Connection to discover (default: all).")
    String connection;

    @Option(names = "--json", description = "Print the catalog as JSON.")
    boolean json;

    @Option(names = "--refresh", description = "Discover again instead of using a cached catalog (Singer taps cache theirs).")
    boolean refresh;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode doc = mapper.createObjectNode();
        try (Workspace workspace = root.openWorkspace()) {
            List<String> names = connection != null ? List.of(connection) : List.copyOf(workspace.project().connections().keySet());
            for (String name : names) {
                var settings = workspace.project().connection(name);
                if (refresh && settings.type().equals("singer")) {
                    java.nio.file.Path base = java.nio.file.Path.of(settings.config().string("base_path", workspace.project().dir().toString()));
                    if (dev.tributary.singer.CatalogCache.forget(base, name)) spec.commandLine().getErr().println("Forgot the cached catalog of " + name + "; discovering again");
                }
                Catalog catalog = workspace.discover(name);
                if (json) {
                    ArrayNode streams = doc.putArray(name);
                    for (StreamDescriptor d : catalog.streams()) {
                        ObjectNode s = streams.addObject();
                        s.put("stream", d.id().toString());
                        ArrayNode fields = s.putArray("fields");
                        for (Field f : d.schema().fields()) fields.addObject().put("name", f.name()).put("type", f.type().configName()).put("nullable", f.nullable());
                        ArrayNode key = s.putArray("primary_key");
                        d.schema().primaryKey().forEach(key::add);
                        ArrayNode modes = s.putArray("sync_modes");
                        d.modes().stream().sorted().forEach(m -> modes.add(m.name().toLowerCase(Locale.ROOT)));
                        d.cursorField().ifPresent(c -> s.put("cursor_field", c));
                    }
                    continue;
                }
                out.println("Connection " + name + ": " + catalog.streams().size() + " streams");
                for (StreamDescriptor d : catalog.streams()) {
                    out.println();
                    out.println("  " + d.id() + "  (sync modes: " + d.modes().stream().sorted().map(m -> m.name().toLowerCase(Locale.ROOT)).toList()
                            + (d.schema().primaryKey().isEmpty() ? "" : ", primary key: " + d.schema().primaryKey()) + ")");
                    Table t = new Table(List.of("field", "type", "nullable"));
                    for (Field f : d.schema().fields()) t.row(f.name(), f.type().configName(), f.nullable() ? "yes" : "no");
                    t.print(out, "    ");
                }
            }
        }
        if (json) out.println(mapper.writeValueAsString(doc));
        return ExitCode.OK;
    }
}
