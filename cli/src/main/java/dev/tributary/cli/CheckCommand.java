package dev.tributary.cli;

import dev.tributary.project.Workspace;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.DataException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary check [connection]}: validates tributary.yml, opens the destination and asks each source
 * whether it can reach its data. Exit code 0 when all pass, 1 when a check fails, 2 on a configuration error.
 */
@Command(name = "check", description = "Validate the project and test every connection (or one).")
final class CheckCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "Connection to check (default: all).")
    String connection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace workspace = root.openWorkspace()) {
            out.println("ok      project " + workspace.project().name() + " (" + workspace.project().dir() + ")");
            boolean allOk = true;
            try {
                out.println("ok      destination " + workspace.project().destinationType() + ": " + workspace.destination().describe());
            } catch (RuntimeException e) {
                if (e instanceof dev.tributary.spi.ConfigException) throw e;
                out.println("FAILED  destination " + workspace.project().destinationType() + ": " + e.getMessage());
                allOk = false;
            }
            List<String> names = connection != null ? List.of(connection) : List.copyOf(workspace.project().connections().keySet());
            for (String name : names) {
                CheckResult r;
                try {
                    r = workspace.check(name);
                } catch (DataException e) {
                    r = CheckResult.failed(e.getMessage());
                }
                out.println((r.ok() ? "ok      " : "FAILED  ") + "connection " + name + ": " + r.message());
                allOk &= r.ok();
            }
            return allOk ? ExitCode.OK : ExitCode.FAILED;
        }
    }
}
