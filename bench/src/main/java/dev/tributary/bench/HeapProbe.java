package dev.tributary.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Samples heap use every 5 ms from a daemon thread and keeps the highest value seen; also reads the process's peak RSS. */
final class HeapProbe {
    private volatile long peak;
    private final Thread thread;

    HeapProbe() {
        thread = Thread.ofPlatform().daemon().name("heap-probe").start(() -> {
            while (true) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                if (used > peak) peak = used;
                try {
                    Thread.sleep(5); // the sampling interval
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Stops sampling. */
    void stop() {
        thread.interrupt();
    }

    long peakMb() {
        return peak >> 20;
    }

    /** The process's peak resident memory (VmHWM) in MB, or -1 where /proc is not available. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return -1;
    }
}
