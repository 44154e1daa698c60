package dev.tributary.scheduler;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A pipeline as the UI and API show it: definition, next due time, the run in progress and recent runs (newest first). */
public record PipelineView(PipelineDef definition, Optional<Instant> nextRun, Optional<RunRecord> running, List<RunRecord> recent) {
    public Optional<RunRecord> last() {
        return recent.stream().filter(r -> r.status().isFinal()).findFirst();
    }
}
