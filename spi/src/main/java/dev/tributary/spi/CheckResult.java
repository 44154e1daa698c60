package dev.tributary.spi;

/** Whether a connector can reach what its configuration points at, and a message saying what it found. */
public record CheckResult(boolean ok, String message) {
    public static CheckResult ok(String message) {
        return new CheckResult(true, message);
    }

    public static CheckResult failed(String message) {
        return new CheckResult(false, message);
    }
}
