package dev.tributary.spi;

/**
 * An expected operational failure: another writer holds the lock of a connection (or the warehouse file), or the
 * warehouse is briefly in use by a reader. The message names the holder when it is known; nothing was written.
 * Commands exit 1 on it; {@code tributary sync --wait} waits instead.
 */
public class WarehouseBusyException extends IllegalStateException {
    private final transient LockHolder holder;

    public WarehouseBusyException(String message, LockHolder holder) {
        super(message);
        this.holder = holder;
    }

    public WarehouseBusyException(String message, LockHolder holder, Throwable cause) {
        super(message, cause);
        this.holder = holder;
    }

    /** Who holds the lock, when the warehouse recorded it. */
    public java.util.Optional<LockHolder> holder() {
        return java.util.Optional.ofNullable(holder);
    }
}
