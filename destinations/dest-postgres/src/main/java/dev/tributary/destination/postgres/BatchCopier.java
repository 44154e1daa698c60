package dev.tributary.destination.postgres;

import dev.tributary.spi.Rejection;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.postgresql.copy.CopyIn;

/**
 * Streams rejections into one {@code COPY ... FROM STDIN} of the staging rejections table, in text format, a few
 * dozen kilobytes at a time. {@link #finish} ends the COPY; closing without it cancels the COPY, so nothing of the
 * batch stays. Records go through {@link BinaryRowCopier}.
 */
final class BatchCopier implements AutoCloseable {
    private static final int FLUSH_AT = 32 * 1024;

    private final CopyIn copy;
    private final StringBuilder buffer = new StringBuilder(FLUSH_AT + 1024);

    BatchCopier(CopyIn copy) {
        this.copy = copy;
    }

    /** Writes rejections as (seq, origin, reason, raw, rejected_at), all numbered {@code seq}. */
    void rejections(List<Rejection> rejections, long seq, Instant rejectedAt) throws SQLException {
        for (Rejection r : rejections) {
            buffer.append(seq).append('\t');
            CopyValues.anyText(buffer, r.origin());
            buffer.append('\t');
            CopyValues.anyText(buffer, r.reason());
            buffer.append('\t');
            CopyValues.anyText(buffer, r.raw());
            buffer.append('\t');
            CopyValues.instant(buffer, rejectedAt);
            endRow();
        }
    }

    /** Sends what is left and ends the COPY; the rows are then in the table. */
    void finish() throws SQLException {
        flush();
        copy.endCopy();
    }

    /** Cancels the COPY unless it was finished: the server then drops every row it received. */
    @Override
    public void close() throws SQLException {
        if (copy.isActive()) copy.cancelCopy();
    }

    private void endRow() throws SQLException {
        buffer.append('\n');
        if (buffer.length() >= FLUSH_AT) flush();
    }

    private void flush() throws SQLException {
        if (buffer.isEmpty()) return;
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        buffer.setLength(0);
        copy.writeToCopy(bytes, 0, bytes.length);
    }
}
