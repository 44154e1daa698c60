package dev.tributary.server;

import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.StepItem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The table and model pages' history read from the runs' step items ({@link PipelineService#historyOf}): a stream
 * {@code <connection>/<stream>} is the step item {@code stream} named {@code <connection>.<stream>}; a model is any of
 * the build step's {@code model}, {@code seed} or {@code snapshot} items of that name.
 */
final class StepItemHistory implements ItemHistory {
    private static final List<String> MODEL_KINDS = List.of("model", "seed", "snapshot");
    private final PipelineService pipelines;

    StepItemHistory(PipelineService pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public List<ItemRun> historyOf(String kind, String name, int limit) {
        List<StepItem> items = new ArrayList<>();
        if (STREAM.equals(kind)) {
            int slash = name.indexOf('/');
            String itemName = slash < 0 ? name : name.substring(0, slash) + "." + name.substring(slash + 1);
            items.addAll(pipelines.historyOf("stream", itemName, limit));
        } else if (MODEL.equals(kind)) {
            for (String k : MODEL_KINDS) items.addAll(pipelines.historyOf(k, name, limit));
        } else {
            throw new IllegalArgumentException("unknown item kind '" + kind + "' (stream or model)");
        }
        items.sort(Comparator.comparing((StepItem i) -> i.startedAt().orElse(java.time.Instant.EPOCH)).reversed()
                .thenComparing(Comparator.comparingLong(StepItem::runId).reversed()));
        Map<Long, String> pipelineOfRun = new HashMap<>();
        List<ItemRun> out = new ArrayList<>();
        for (StepItem i : items) {
            if (out.size() >= limit) break;
            String pipeline = pipelineOfRun.computeIfAbsent(i.runId(), id -> pipelines.run(id).map(RunRecord::pipeline).orElse("?"));
            Optional<java.time.Instant> at = i.startedAt().or(i::endedAt);
            if (at.isEmpty()) continue;
            out.add(new ItemRun(i.runId(), pipeline, at.get(), i.status().toLowerCase(java.util.Locale.ROOT),
                    i.live() ? OptionalLong.empty() : OptionalLong.of(i.rows()), i.duration()));
        }
        return out;
    }
}
