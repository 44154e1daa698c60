package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Syncs killed with SIGKILL on an event, not after a wall-clock wait: each is killed once the sandbox has answered
 * {@code afterRequests} of its requests (a loaded machine makes a sync slower, not earlier or later in the sync).
 * On a loaded machine the writer can lag behind the reader, so a kill may land before anything new was committed:
 * such a kill is not counted, and the next sync is killed later (half as many requests again), up to three tries per
 * wanted kill.
 *
 * @param described what each kill left ("after N requests with M rows stored")
 * @param midway how many kills landed between the first commit and the end of the sync
 */
record MidwayKills(List<String> described, int midway) {
    /**
     * Syncs started by {@code start} until {@code times} kills landed midway (or {@code 3 * times} tries), each killed
     * after {@code afterRequests} requests ({@code resetRequests} runs before each), later after a kill that left no new
     * committed rows; stops early when one finishes (exit 0 asserted, with {@code output}).
     * {@code stored} reads the rows committed so far, {@code whole} is what a whole sync stores.
     */
    static MidwayKills run(int times, long afterRequests, Runnable resetRequests, LongSupplier requests, Callable<Process> start,
            Callable<Long> stored, long whole, Callable<String> output) throws Exception {
        List<String> described = new ArrayList<>();
        int midway = 0;
        long killAt = afterRequests;
        long before = stored.call();
        for (int attempt = 0; attempt < 3 * times && midway < times; attempt++) {
            resetRequests.run();
            Process p = start.call();
            while (p.isAlive() && requests.getAsLong() < killAt) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            if (!p.isAlive()) {
                assertThat(p.exitValue()).as(output.call()).isZero();
                break;
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long rows = stored.call();
            described.add("after " + requests.getAsLong() + " requests with " + rows + " rows stored");
            if (rows > before && rows < whole) midway++; // new committed progress, and the sync was not over
            else killAt += Math.max(1, killAt / 2); // the writer had not committed yet: kill the next one later
            before = rows;
        }
        return new MidwayKills(described, midway);
    }
}
