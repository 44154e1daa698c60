package dev.tributary.source.sheets;

import dev.tributary.http.ApiException;
import dev.tributary.http.RateLimitStopException;
import dev.tributary.spi.TransientException;

/** Which failures mean the API cannot serve this run (so a fallback may), and how to say why in one line. */
final class ApiUnusable {
    private ApiUnusable() { }

    /** A sheet or tab that is gone is as final for this run as a refused key. */
    static final class SheetGone extends RuntimeException {
        SheetGone(String message) { super(message); }
    }

    /** Discovery in this process found the account unusable moments ago: the read does not ask again. */
    static final class StillUnusable extends RuntimeException {
        StillUnusable(String message) { super(message); }
    }

    /**
     * Auth refused, no permission, spreadsheet or tab gone (4xx), quota still exhausted after the wait budget, or
     * the host unreachable / failing after the client's retries. Not: bad settings or a bad header (the user's to fix).
     */
    static boolean is(Throwable e) {
        return e instanceof ApiException || e instanceof RateLimitStopException || e instanceof SheetGone
                || e instanceof StillUnusable || TransientException.isTransient(e);
    }

    /**
     * A failure of the whole account or spreadsheet (auth refused, no permission, spreadsheet gone, quota exhausted,
     * host unreachable), which every stream of the connection would meet too; as opposed to one stream's own problem
     * (its tab renamed or deleted, its range refused with 400), which says nothing about the other streams.
     */
    static boolean accountLevel(Throwable e) {
        return is(e) && !streamLevel(e);
    }

    /** Only this stream's range is the problem: its tab is gone or Sheets refused the range (400). */
    static boolean streamLevel(Throwable e) {
        // a 400 from the token endpoint (invalid_grant: a revoked key) is the account's; Sheets says INVALID_ARGUMENT for a range
        return e instanceof SheetGone || (e instanceof ApiException a && a.status() == 400 && a.bodyExcerpt().contains("INVALID_ARGUMENT"));
    }

    static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof RateLimitStopException) return "quota exhausted: " + m;
        return m;
    }
}
