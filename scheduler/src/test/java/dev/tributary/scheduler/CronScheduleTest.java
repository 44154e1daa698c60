package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static List<Instant> dueTimes(CronSchedule cron, Instant from, Instant to) {
        List<Instant> out = new ArrayList<>();
        Instant t = from;
        while (true) {
            Instant next = cron.nextAfter(t).orElseThrow();
            if (next.isAfter(to)) return out;
            out.add(next);
            t = next;
        }
    }

    @Test
    void aRememberedNextTimeIsReusedOnlyWhereItHolds() {
        CronSchedule cron = CronSchedule.parse("*/15 * * * *", ZoneOffset.UTC);
        assertThat(cron.nextAfter(Instant.parse("2026-12-06T10:05:00Z"))).contains(Instant.parse("2026-12-06T10:15:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2026-12-06T10:14:59Z"))).contains(Instant.parse("2026-12-06T10:15:00Z"));
        // before the question it answered, and at or after its answer, it is asked again
        assertThat(cron.nextAfter(Instant.parse("2026-12-06T09:59:00Z"))).contains(Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2026-12-06T10:15:00Z"))).contains(Instant.parse("2026-12-06T10:30:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2026-12-06T10:00:00Z"))).contains(Instant.parse("2026-12-06T10:15:00Z"));
    }

    @Test
    void dailyInUtcAndInLondon() {
        CronSchedule utc = CronSchedule.parse("0 7 * * *", ZoneOffset.UTC);
        assertThat(utc.nextAfter(Instant.parse("2026-01-10T06:59:59Z"))).contains(Instant.parse("2026-01-10T07:00:00Z"));
        assertThat(utc.nextAfter(Instant.parse("2026-01-10T07:00:00Z"))).contains(Instant.parse("2026-01-11T07:00:00Z"));
        CronSchedule london = CronSchedule.parse("0 7 * * *", LONDON);
        // 07:00 BST is 06:00 UTC in summer
        assertThat(london.nextAfter(Instant.parse("2026-07-01T00:00:00Z"))).contains(Instant.parse("2026-07-01T06:00:00Z"));
        assertThat(london.latestAtOrBefore(Instant.parse("2026-07-01T05:59:00Z"))).contains(Instant.parse("2026-06-30T06:00:00Z"));
        assertThat(london.latestAtOrBefore(Instant.parse("2026-07-01T06:00:00Z"))).contains(Instant.parse("2026-07-01T06:00:00Z"));
    }

    @Test
    void londonSpringForwardRunsANonexistentTimeOnceAtTheEndOfTheGap() {
        // 2026-03-29: 01:00 GMT jumps to 02:00 BST, so 01:30 local does not exist.
        CronSchedule cron = CronSchedule.parse("30 1 * * *", LONDON);
        assertThat(dueTimes(cron, Instant.parse("2026-03-27T12:00:00Z"), Instant.parse("2026-03-30T12:00:00Z"))).containsExactly(
                Instant.parse("2026-03-28T01:30:00Z"),
                Instant.parse("2026-03-29T01:00:00Z"),
                Instant.parse("2026-03-30T00:30:00Z"));
    }

    @Test
    void londonFallBackRunsARepeatedTimeOnce() {
        // 2026-10-25: 02:00 BST falls back to 01:00 GMT, so 01:30 local happens twice.
        CronSchedule cron = CronSchedule.parse("30 1 * * *", LONDON);
        assertThat(dueTimes(cron, Instant.parse("2026-10-23T12:00:00Z"), Instant.parse("2026-10-26T12:00:00Z"))).containsExactly(
                Instant.parse("2026-10-24T00:30:00Z"),
                Instant.parse("2026-10-25T00:30:00Z"),
                Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void frequentJobsFollowTheClockThroughBothDstChanges() {
        CronSchedule cron = CronSchedule.parse("*/30 * * * *", LONDON);
        // spring forward: local 01:00 and 01:30 do not exist; both map to the end of the gap and run once there
        assertThat(dueTimes(cron, Instant.parse("2026-03-28T23:59:00Z"), Instant.parse("2026-03-29T02:00:00Z"))).containsExactly(
                Instant.parse("2026-03-29T00:00:00Z"),
                Instant.parse("2026-03-29T00:30:00Z"),
                Instant.parse("2026-03-29T01:00:00Z"),
                Instant.parse("2026-03-29T01:30:00Z"),
                Instant.parse("2026-03-29T02:00:00Z"));
        // fall back: every half hour of real time, through both passes of local 01:00-02:00
        assertThat(dueTimes(cron, Instant.parse("2026-10-24T23:59:00Z"), Instant.parse("2026-10-25T02:00:00Z"))).containsExactly(
                Instant.parse("2026-10-25T00:00:00Z"),
                Instant.parse("2026-10-25T00:30:00Z"),
                Instant.parse("2026-10-25T01:00:00Z"),
                Instant.parse("2026-10-25T01:30:00Z"),
                Instant.parse("2026-10-25T02:00:00Z"));
    }

    @Test
    void newYorkAcrossBoth2026Changes() {
        // 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST
        CronSchedule cron = CronSchedule.parse("30 2 * * *", NEW_YORK);
        assertThat(dueTimes(cron, Instant.parse("2026-03-07T00:00:00Z"), Instant.parse("2026-03-10T00:00:00Z"))).containsExactly(
                Instant.parse("2026-03-07T07:30:00Z"),
                Instant.parse("2026-03-08T07:00:00Z"),
                Instant.parse("2026-03-09T06:30:00Z"));
        CronSchedule early = CronSchedule.parse("30 1 * * *", NEW_YORK);
        assertThat(dueTimes(early, Instant.parse("2026-10-31T00:00:00Z"), Instant.parse("2026-11-03T00:00:00Z"))).containsExactly(
                Instant.parse("2026-10-31T05:30:00Z"),
                Instant.parse("2026-11-01T05:30:00Z"),
                Instant.parse("2026-11-02T06:30:00Z"));
        assertThat(early.latestAtOrBefore(Instant.parse("2026-11-01T06:45:00Z"))).contains(Instant.parse("2026-11-01T05:30:00Z"));
    }

    @Test
    void weekdaysOnly() {
        CronSchedule cron = CronSchedule.parse("0 9 * * 1-5", ZoneOffset.UTC);
        // 2026-12-04 is a Friday
        assertThat(cron.nextAfter(Instant.parse("2026-12-04T10:00:00Z"))).contains(Instant.parse("2026-12-07T09:00:00Z"));
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", ZoneOffset.UTC)).hasMessageContaining("minute field '61'");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 32 * *", ZoneOffset.UTC)).hasMessageContaining("day of month field '32'");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 * 13 *", ZoneOffset.UTC)).hasMessageContaining("month field '13'");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 * * funday", ZoneOffset.UTC)).hasMessageContaining("day of week field 'funday'");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 * * * *", ZoneOffset.UTC)).hasMessageContaining("6 fields");
    }
}
