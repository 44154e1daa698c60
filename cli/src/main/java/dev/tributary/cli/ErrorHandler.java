package dev.tributary.cli;

import dev.tributary.project.ProjectException;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.DataException;
import picocli.CommandLine;

/** Turns exceptions into one clear line on stderr and the documented exit code. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    private final TributaryCommand root;

    ErrorHandler(TributaryCommand root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parseResult) {
        var err = cli.getErr();
        if (ex instanceof ConfigException || ex instanceof ProjectException) {
            err.println("tributary: " + ex.getMessage());
            if (root.verbose) ex.printStackTrace(err);
            return ExitCode.CONFIG;
        }
        if (ex instanceof DataException || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
            err.println("tributary: " + ex.getMessage());
            if (root.verbose) ex.printStackTrace(err);
            return ExitCode.FAILED;
        }
        err.println("tributary: unexpected error: " + ex);
        if (root.verbose) ex.printStackTrace(err);
        else err.println("Run again with --verbose for the stack trace.");
        return ExitCode.INTERNAL;
    }
}
