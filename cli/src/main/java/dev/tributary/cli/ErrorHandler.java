package dev.tributary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.project.ProjectException;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.DataException;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Turns exceptions into one clear line on stderr and the documented exit code: 2 for configuration errors, 1 for
 * failed work and expected operational failures ({@link OperationalFailure}: warehouse busy, credentials refused,
 * connection refused), 3 only for what nobody expected (a bug). A command run with {@code --json} also gets
 * {@code {"ok": false, "error": {"kind": ..., "message": ...}}} on stdout.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    private final TributaryCommand root;

    ErrorHandler(TributaryCommand root) {
        this.root = root;
    }

    /** How a command's exception is reported: the {@code --json} kind, the one-line message and the exit code. */
    record Outcome(String kind, String message, int code) {}

    /** The one classification of a command's exception, shared by the terminal, {@code --json} and the run history. */
    static Outcome classify(Throwable ex, String command) {
        Optional<OperationalFailure> operational = OperationalFailure.of(ex, command);
        if (ex instanceof ConfigException || ex instanceof ProjectException) {
            return new Outcome("configuration", ex.getMessage(), ExitCode.CONFIG);
        } else if (operational.isPresent()) {
            return new Outcome(operational.get().kind(), operational.get().message(), ExitCode.FAILED);
        } else if (ex instanceof DataException || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
            return new Outcome("failed", ex.getMessage(), ExitCode.FAILED);
        }
        return new Outcome("internal", "unexpected error: " + ex, ExitCode.INTERNAL);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parseResult) {
        var err = cli.getErr();
        Outcome outcome = classify(ex, leafName(parseResult));
        String kind = outcome.kind();
        String message = outcome.message();
        int code = outcome.code();
        err.println("tributary: " + message);
        if (root.verbose) ex.printStackTrace(err);
        else if (code == ExitCode.INTERNAL) err.println("Run again with --verbose for the stack trace.");
        if (wantsJson(parseResult)) cli.getOut().println(json(kind, message));
        cli.getOut().flush();
        err.flush();
        return code;
    }

    /** The name of the (sub)command that ran, as {@code sync}. */
    static String leafName(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult leaf = parseResult;
        while (leaf != null && leaf.subcommand() != null) leaf = leaf.subcommand();
        return leaf == null ? null : leaf.commandSpec().name();
    }

    /** Whether the command that ran was given {@code --json}. */
    static boolean wantsJson(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult leaf = parseResult;
        while (leaf != null && leaf.subcommand() != null) leaf = leaf.subcommand();
        return leaf != null && leaf.hasMatchedOption("--json") && Boolean.TRUE.equals(leaf.matchedOptionValue("--json", false));
    }

    static String json(String kind, String message) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode doc = mapper.createObjectNode();
        doc.put("ok", false);
        doc.putObject("error").put("kind", kind).put("message", message);
        try {
            return mapper.writeValueAsString(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
