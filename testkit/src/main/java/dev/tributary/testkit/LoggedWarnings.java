package dev.tributary.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What a class logs at WARNING (through {@code System.Logger} or {@code java.util.logging}) while some work runs. */
public final class LoggedWarnings {
    private LoggedWarnings() {}

    /** The messages {@code source}'s logger (named after the class) logged at WARNING while {@code work} ran, in order. */
    public static List<String> during(Class<?> source, Runnable work) {
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        Logger log = Logger.getLogger(source.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == Level.WARNING) warnings.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(capture);
        try {
            work.run();
        } finally {
            log.removeHandler(capture);
        }
        return List.copyOf(warnings);
    }
}
