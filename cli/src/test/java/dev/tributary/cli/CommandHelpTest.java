package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tributary.project.Connectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and subcommand answers {@code --help} and {@code -h} with its usage and exit 0, and lists only the
 * options that apply to it.
 */
class CommandHelpTest {
    private static final Set<String> EVERYWHERE = Set.of("-p", "--project", "--verbose", "-h", "--help");
    private static final Set<String> PROJECT = Set.of("--vars", "-t", "--target", "--profiles-dir", "--project-dir");
    private static final Set<String> SELECTION = Set.of("-s", "--select", "--exclude");

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static CommandLine tree() {
        return TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    /** The names leading to every command below {@code cli}, depth first (aliases once). */
    private static void walk(CommandLine cli, List<String> path, List<List<String>> into) {
        for (CommandLine sub : cli.getSubcommands().values().stream().distinct().toList()) {
            List<String> p = new ArrayList<>(path);
            p.add(sub.getCommandName());
            into.add(p);
            walk(sub, p, into);
        }
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpAndH() {
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of());
        walk(tree(), List.of(), commands);
        assertThat(commands).as("the walk reaches nested subcommands").contains(List.of("state", "reset"), List.of("state", "show"),
                List.of("sandbox", "hubspot"), List.of("show"), List.of("checks"), List.of("check"), List.of("rejects"));
        for (List<String> command : commands) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(command);
                args.add(flag);
                Run r = run(args.toArray(String[]::new));
                String name = String.join(" ", command);
                assertThat(r.exitCode()).as("tributary %s %s: %s", name, flag, r).isZero();
                assertThat(r.err()).as("tributary %s %s", name, flag).isEmpty();
                assertThat(r.out()).as("tributary %s %s", name, flag).contains(("Usage: tributary " + name).strip() + " ");
            }
        }
    }

    @Test
    void theCommandListShowsEachCommandsFirstLineAsAWholeSentence() {
        // picocli lists a command with the first line of its description only; a sentence cut there reads as broken
        List<List<String>> commands = new ArrayList<>();
        walk(tree(), List.of(), commands);
        for (List<String> command : commands) {
            CommandLine cli = tree();
            for (String name : command) cli = cli.getSubcommands().get(name);
            String[] description = cli.getCommandSpec().usageMessage().description();
            assertThat(description).as("tributary %s has a description", String.join(" ", command)).isNotEmpty();
            assertThat(description[0].strip()).as("first line of tributary %s's description", String.join(" ", command)).endsWith(".");
        }
    }

    @Test
    void everyHelpTextIsAValidFormatString() {
        // picocli formats help lines with String.format: a bare '%' makes it print a warning and the raw text
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of());
        walk(tree(), List.of(), commands);
        for (List<String> command : commands) {
            CommandLine cli = tree();
            for (String name : command) cli = cli.getSubcommands().get(name);
            CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
            List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
            texts.addAll(List.of(spec.usageMessage().footer()));
            spec.options().forEach(o -> texts.addAll(List.of(o.description())));
            spec.positionalParameters().forEach(p -> texts.addAll(List.of(p.description())));
            for (String text : texts) {
                assertThatCode(() -> String.format(text)).as("tributary %s: %s", String.join(" ", command), text).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void commandsWithRequiredParametersStillAnswerHelp() {
        Run reset = run("state", "reset", "--help");
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.out()).contains("Usage: tributary state reset").contains("<connection>").contains("--yes");
        Run show = run("show", "-h");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("--inline").contains("connection.table");
        Run negative = run("show", "example.customers", "--limit", "-1");
        assertThat(negative.exitCode()).as("a negative --limit printed no rows and exit 0: %s", negative).isEqualTo(ExitCode.CONFIG);
        assertThat(negative.err()).contains("--limit: expected 0 or more rows, got -1");
        Run missing = run("state", "reset");
        assertThat(missing.exitCode()).as("without --help a missing parameter is still an error").isEqualTo(ExitCode.CONFIG);
    }

    @Test
    void eachTransformCommandListsOnlyTheOptionsThatApplyToIt() {
        CommandLine cli = tree();
        assertThat(options(cli, "show")).isEqualTo(union(EVERYWHERE, PROJECT, Set.of("--inline", "--limit", "--order-by")));
        assertThat(options(cli, "ls")).isEqualTo(union(EVERYWHERE, PROJECT, SELECTION));
        assertThat(options(cli, "compile")).as("--full-refresh decides what is_incremental() renders to")
                .isEqualTo(union(EVERYWHERE, PROJECT, SELECTION, Set.of("--full-refresh")));
        assertThat(options(cli, "checks")).as("checks run on a pool of --threads connections; nothing they do is refreshed")
                .isEqualTo(union(EVERYWHERE, PROJECT, SELECTION, Set.of("--threads")));
        assertThat(options(cli, "test")).isEqualTo(union(EVERYWHERE, PROJECT, SELECTION, Set.of("--threads")));
        assertThat(options(cli, "snapshot")).isEqualTo(union(EVERYWHERE, PROJECT, SELECTION, Set.of("--threads")));
        assertThat(options(cli, "freshness")).isEqualTo(union(EVERYWHERE, PROJECT, SELECTION));
        for (String building : List.of("build", "run", "seed")) {
            assertThat(options(cli, building)).as(building).isEqualTo(union(EVERYWHERE, PROJECT, SELECTION, Set.of("--threads", "--full-refresh")));
        }

        Run show = run("show", "--help");
        assertThat(show.out()).doesNotContain("--full-refresh").doesNotContain("--threads").doesNotContain("--select");
        Run checks = run("checks", "--help");
        assertThat(checks.out()).doesNotContain("--full-refresh").contains("--threads").contains("--select");
        Run ls = run("ls", "--help");
        assertThat(ls.out()).doesNotContain("--full-refresh").doesNotContain("--threads");
        Run compile = run("compile", "--help");
        assertThat(compile.out()).doesNotContain("--threads").contains("--full-refresh");
    }

    @Test
    void unknownOptionsStillFailWithTheCommandsUsageHint() {
        Run r = run("check", "--no-such-option");
        assertThat(r.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'").contains("Run 'tributary check --help' for usage.");
        Run json = run("sync", "--no-such-option", "--json");
        assertThat(json.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(json.out()).contains("\"ok\" : false").contains("\"kind\" : \"command_line\"");
    }

    private static Set<String> options(CommandLine root, String command) {
        Set<String> names = new TreeSet<>();
        root.getSubcommands().get(command).getCommandSpec().options().forEach(o -> names.addAll(List.of(o.names())));
        return names;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> s : sets) all.addAll(s);
        return all;
    }
}
