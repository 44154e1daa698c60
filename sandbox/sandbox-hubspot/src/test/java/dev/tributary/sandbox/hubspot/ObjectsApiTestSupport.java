package dev.tributary.sandbox.hubspot;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds list cursors the way the sandbox encodes them, for tests that start mid-table. */
final class ObjectsApiTestSupport {
    private ObjectsApiTestSupport() {}

    /** The after cursor for the company at this index. */
    static String after(int companyIndex) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(200_000_001L + companyIndex).getBytes(StandardCharsets.UTF_8));
    }
}
