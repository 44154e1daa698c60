package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * What a batch says is complete besides its records, so a destination can soft-delete rows the source no longer has
 * (set {@code _tributary_deleted_at}). Applied by a merge writer, in the commit that stores the batch, together with
 * the checkpoint; a destination that cannot declares no {@link ConnectorSpec.Capability#RECONCILE} and its writers
 * answer false to {@link StreamWriter#reconciles()}.
 *
 * <p>Key and scope values compare as text: use TEXT or INTEGER key columns.
 */
public sealed interface Completion {
    /**
     * Part of a reconciliation pass over every key of the stream, which may span many batches, commits and runs. The
     * destination keeps the keys seen in the pass (in a table tied to {@code passId}, committed with the data and the
     * state, so a resumed pass goes on where its last commit left it). In the batch that ends the pass, every row of
     * the stream that is not yet deleted, whose key was not seen in the pass, and that was not written since the pass
     * began, is marked deleted at {@code deletedAt}. A new pass id for the stream forgets the keys of any earlier,
     * unfinished pass (a source that restarts a pass gives it a new id).
     */
    record KeysSeen(String passId, List<List<Object>> keys, boolean endsPass, Instant deletedAt) implements Completion {
        public KeysSeen {
            requireNonNull(passId, "passId is null");
            if (passId.isBlank()) throw new IllegalArgumentException("passId is blank");
            keys = List.copyOf(requireNonNull(keys, "keys is null"));
            requireNonNull(deletedAt, "deletedAt is null");
        }
    }

    /**
     * The batch's records are every row that exists now for these values of {@code columns} (for instance the
     * associations of these {@code from_id}s): other rows of the stream with one of these values, not yet deleted,
     * are marked deleted at {@code deletedAt}. When a later batch of the same commit covers a value again, the later
     * batch is the complete set.
     */
    record Scopes(List<String> columns, List<List<Object>> values, Instant deletedAt) implements Completion {
        public Scopes {
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            if (columns.isEmpty()) throw new IllegalArgumentException("a scope needs at least one column");
            values = List.copyOf(requireNonNull(values, "values is null"));
            for (List<Object> v : values) {
                if (v.size() != columns.size()) throw new IllegalArgumentException("scope value " + v + " does not match columns " + columns);
            }
            requireNonNull(deletedAt, "deletedAt is null");
        }
    }

    /** One key or scope value as the destinations compare it: each part as text, joined by U+001F. */
    static String asText(List<Object> parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) sb.append('\u001f');
            Object p = requireNonNull(parts.get(i), "a key or scope value part is null");
            sb.append(p);
        }
        return sb.toString();
    }
}
