package dev.tributary.sandbox.xero.data;

import java.util.Map;

/**
 * One document of a tenant's books. Untouched documents are rendered from (seed, tenant, collection, index) on demand;
 * only changes (control edits, voids, payments) live in {@code patch}, laid over the rendered fields. {@code ref} points
 * at a related document's index (a payment's invoice), or -1.
 */
public final class Doc {
    final Endpoint endpoint;
    final int index;
    final String id;
    final long createdMillis;
    final int ref;
    volatile long updatedMillis;
    volatile Map<String, Object> patch;

    Doc(Endpoint endpoint, int index, String id, long createdMillis, long updatedMillis, int ref) {
        this.endpoint = endpoint;
        this.index = index;
        this.id = id;
        this.createdMillis = createdMillis;
        this.updatedMillis = updatedMillis;
        this.ref = ref;
    }

    public Endpoint endpoint() { return endpoint; }
    public int index() { return index; }
    public String id() { return id; }
    public long createdMillis() { return createdMillis; }
    public long updatedMillis() { return updatedMillis; }

    /** The time If-Modified-Since compares with: the update time, or creation for immutable records. */
    public long changedMillis() {
        return "CreatedDateUTC".equals(endpoint.changeField()) ? createdMillis : updatedMillis;
    }
}
