package dev.tributary.cli;

import dev.tributary.scheduler.StepContext;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Puts the lines a Singer tap writes to stderr (logged by the singer source as {@code [connection][tap] line}) into the
 * run log of the pipeline step syncing that connection, as {@code [pipeline][tap] line}, while the step runs.
 */
final class TapLogBridge implements AutoCloseable {
    static final String SOURCE_LOGGERS = "dev.tributary.source.singer";

    private final Logger logger;
    private final Handler handler;

    private TapLogBridge(Logger logger, Handler handler) {
        this.logger = logger;
        this.handler = handler;
    }

    static TapLogBridge into(StepContext context, String connection) {
        String prefix = "[" + connection + "][";
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                if (message == null || !message.startsWith(prefix)) return;
                int end = message.indexOf("] ", prefix.length());
                if (end < 0) return;
                context.log(message.substring(prefix.length(), end), message.substring(end + 2));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(SOURCE_LOGGERS);
        logger.addHandler(handler);
        return new TapLogBridge(logger, handler);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
