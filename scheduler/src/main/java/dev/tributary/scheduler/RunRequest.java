package dev.tributary.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run asked for beyond "the whole pipeline": a subset of its steps (empty: all) and vars handed to its
 * build/run/test/checks steps as dbt vars (they override the step's own {@code vars}).
 */
public record RunRequest(List<String> steps, Map<String, String> vars) {
    public static final RunRequest ALL = new RunRequest(List.of(), Map.of());

    public RunRequest {
        steps = List.copyOf(Objects.requireNonNull(steps, "steps is null"));
        vars = Map.copyOf(Objects.requireNonNull(vars, "vars is null"));
        for (String k : vars.keySet()) {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("var names are letters, digits and '_' (not starting with a digit): '" + k + "'");
        }
    }

    public boolean isDefault() {
        return steps.isEmpty() && vars.isEmpty();
    }

    /** The pipeline's steps this request runs, in the pipeline's order; an unknown step name is an error naming it. */
    public List<StepDef> select(PipelineDef pipeline) {
        if (steps.isEmpty()) return pipeline.steps();
        for (String s : steps) {
            if (pipeline.step(s).isEmpty()) {
                throw new UnknownStepException("pipeline " + pipeline.name() + " has no step '" + s + "'"
                        + dev.tributary.spi.Config.didYouMean(s, pipeline.steps().stream().map(StepDef::name).toList())
                        + "; steps: " + String.join(", ", pipeline.steps().stream().map(StepDef::name).toList()));
            }
        }
        return pipeline.steps().stream().filter(d -> steps.contains(d.name())).toList();
    }
}
