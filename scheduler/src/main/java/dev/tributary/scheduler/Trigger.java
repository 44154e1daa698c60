package dev.tributary.scheduler;

import java.time.Duration;
import java.time.ZoneId;

/** When a pipeline runs by itself. */
public sealed interface Trigger {
    /** Human-readable form for the UI: "0 7 * * * (Europe/London)", "every 5m after the last run ends", "manual". */
    String describe();

    /** A five-field cron expression (minute hour day-of-month month day-of-week) in a time zone. */
    record Cron(String expression, ZoneId zone) implements Trigger {
        @Override
        public String describe() {
            return expression + " (" + zone.getId() + ")";
        }
    }

    /** Run, then wait this long after the run ends, then run again ("all pipelines in sequence, then sleep N seconds"). */
    record Interval(Duration pause) implements Trigger {
        @Override
        public String describe() {
            long seconds = pause.toSeconds();
            String amount = seconds > 0 && seconds % 86_400 == 0 ? seconds / 86_400 + "d"
                    : seconds > 0 && seconds % 3_600 == 0 ? seconds / 3_600 + "h"
                    : seconds > 0 && seconds % 60 == 0 ? seconds / 60 + "m"
                    : seconds + "s";
            return "every " + amount + " after the last run ends";
        }
    }

    /** Only when triggered by hand (UI, API, CLI). */
    record Manual() implements Trigger {
        @Override
        public String describe() {
            return "manual";
        }
    }
}
