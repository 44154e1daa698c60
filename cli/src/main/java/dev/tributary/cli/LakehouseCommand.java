package dev.tributary.cli;

import dev.tributary.project.Workspace;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.TableMaintenance;
import dev.tributary.spi.TableMaintenance.Outcome;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tributary lakehouse compact|expire-snapshots|remove-orphans [--table ns.table]}: maintenance of an Iceberg
 * destination. Each holds the writer locks of the connections writing a table while it works on it, so it never
 * races a sync (it stops with exit 1 naming the sync that holds one). Exit 2 when the destination is not iceberg or
 * the table is unknown.
 */
@Command(name = "lakehouse", description = "Maintain the Iceberg lakehouse destination: compact, expire-snapshots, remove-orphans.",
        subcommands = {LakehouseCommand.Compact.class, LakehouseCommand.ExpireSnapshots.class, LakehouseCommand.RemoveOrphans.class})
final class LakehouseCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.CONFIG;
    }

    /** The option every subcommand takes. */
    static final class TableOption {
        @Option(names = "--table", paramLabel = "NAMESPACE.TABLE", description = "Only this table (default: every table).")
        String table;
    }

    /** The work of one subcommand on one table. */
    interface TableWork {
        Outcome run(TableMaintenance maintenance, String table, LockHolder holder);
    }

    /** Opens the project's lakehouse and runs {@code work} on the chosen tables. */
    static int run(CommandLine.Model.CommandSpec spec, String table, String what, boolean listFiles, TableWork work) {
        TributaryCommand root = spec.commandLine().getParent().getParent().getCommand();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Workspace workspace = root.openWorkspace()) {
            String type = workspace.project().destinationType();
            if (!type.equals("iceberg")) {
                err.println("tributary: lakehouse commands work on an iceberg destination; this project's destination is " + type);
                return ExitCode.CONFIG;
            }
            DestinationSession session = workspace.destination();
            if (!(session instanceof TableMaintenance maintenance)) {
                err.println("tributary: the " + type + " destination needs no lakehouse maintenance");
                return ExitCode.CONFIG;
            }
            List<String> tables = maintenance.maintainedTables();
            if (table != null && !tables.contains(table)) {
                err.println("tributary: no table " + table + " in " + session.describe() + "; tables: " + String.join(", ", tables)
                        + dev.tributary.spi.Config.didYouMean(table, tables));
                return ExitCode.CONFIG;
            }
            if (tables.isEmpty()) out.println("The lakehouse has no tables yet.");
            LockHolder holder = LockHolder.thisProcess(root.commandPrefix() + " lakehouse " + what);
            for (String t : table == null ? tables : List.of(table)) {
                Outcome o = work.run(maintenance, t, holder);
                out.println(o.table() + ": " + o.summary());
                if (listFiles) o.files().forEach(f -> out.println("  " + f));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "compact", description = {"Rewrite small data files (and files with many deleted rows) into fewer, larger ones.",
            "In each partition: files under 3/4 of the target size (write.target-file-size-bytes, 512 MB) gathered with files of similar size,",
            "files with 30%% or more of their rows deleted (without them), and the position deletes of the other files folded into one file."})
    static final class Compact implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        TableOption only;

        @Override
        public Integer call() {
            return run(spec, only.table, "compact", false, (m, t, holder) -> m.compact(t, holder));
        }
    }

    @Command(name = "expire-snapshots", description = {"Forget old snapshots (time travel to them ends) and delete the files only they used.",
            "A snapshot's age counts from when a newer one replaced it, so a query reading it keeps its files that long.",
            "The current snapshot, which holds the stream states, always stays."})
    static final class ExpireSnapshots implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        TableOption only;

        @Option(names = "--older-than", defaultValue = "7d", description = "Expire snapshots replaced longer ago than this (default: ${DEFAULT-VALUE}; 30m, 12h, 7d).")
        String olderThan;

        @Option(names = "--retain-last", defaultValue = "1", description = "Keep at least this many snapshots (default: ${DEFAULT-VALUE}).")
        int retainLast;

        @Override
        public Integer call() {
            Duration age = olderThan(spec, olderThan);
            if (age == null) return ExitCode.CONFIG;
            return run(spec, only.table, "expire-snapshots", false, (m, t, holder) -> m.expireSnapshots(t, age, retainLast, holder));
        }
    }

    @Command(name = "remove-orphans", description = {"Delete the files under a table's folder that no snapshot refers to.",
            "Those are what a killed sync wrote but never committed. Only files older than --older-than (default 3d) go, under the table lock, so no running sync loses a file."})
    static final class RemoveOrphans implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        TableOption only;

        @Option(names = "--dry-run", description = "List the orphan files without deleting them.")
        boolean dryRun;

        @Option(names = "--older-than", defaultValue = "3d",
                description = "Only files last modified longer ago than this (default: ${DEFAULT-VALUE}, as Iceberg's; 0s: every orphan).")
        String olderThan;

        @Override
        public Integer call() {
            Duration age = olderThan(spec, olderThan);
            if (age == null) return ExitCode.CONFIG;
            return run(spec, only.table, "remove-orphans", dryRun, (m, t, holder) -> m.removeOrphans(t, age, dryRun, holder));
        }
    }

    /** {@code --older-than}'s value, or null after saying on stderr what is wrong with it. */
    private static Duration olderThan(CommandLine.Model.CommandSpec spec, String text) {
        try {
            return parseDuration(text);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("tributary: --older-than: " + e.getMessage());
            return null;
        }
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!t.matches("\\d+[smhd]")) throw new IllegalArgumentException("expected a number and s, m, h or d (such as 7d), got '" + text + "'");
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
