package dev.tributary.transform;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to load and run a project. Every field may be left empty: {@link #defaults()}.
 *
 * @param profilesDir where profiles.yml is; null means {@code DBT_PROFILES_DIR}, then the project folder, then {@code ~/.dbt}
 * @param target the profile target; null means the profile's {@code target:}
 * @param vars values for {@code var()}, over those of dbt_project.yml
 * @param fullRefresh rebuild incremental models and seeds from scratch
 * @param threads overrides the profile's threads when not null
 * @param select selector expressions (space-separated items are a union, commas an intersection)
 * @param exclude selector expressions to leave out
 * @param warehouse when not null, used instead of profiles.yml (a Tributary destination)
 * @param command the command about to run ({@code build}, {@code compile}...), {@code flags.WHICH} while loading;
 *                null means {@code run}. {@link TransformRunner} sets it again for the method called.
 * @param projectName the name of a project without dbt_project.yml (a Tributary project's {@code name:}); null means its folder's name
 */
public record TransformOptions(Path profilesDir, String target, Map<String, Object> vars, boolean fullRefresh, Integer threads,
                               List<String> select, List<String> exclude, WarehouseTarget warehouse, String projectName,
                               String command) {
    /**
     * The var holding the schema prefix of a Tributary project's PostgreSQL destination (the CLI sets it): a source
     * without {@code schema:} reads schema {@code <prefix><source name>}, where the connection of that name loads.
     */
    public static final String SCHEMA_PREFIX_VAR = "tributary_schema_prefix";

    public TransformOptions {
        vars = vars == null ? Map.of() : Map.copyOf(vars);
        select = select == null ? List.of() : List.copyOf(select);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    public static TransformOptions defaults() {
        return new TransformOptions(null, null, Map.of(), false, null, List.of(), List.of(), null, null, null);
    }

    public TransformOptions withProfilesDir(Path dir) {
        return new TransformOptions(dir, target, vars, fullRefresh, threads, select, exclude, warehouse, projectName, command);
    }

    public TransformOptions withTarget(String t) {
        return new TransformOptions(profilesDir, t, vars, fullRefresh, threads, select, exclude, warehouse, projectName, command);
    }

    public TransformOptions withVars(Map<String, Object> v) {
        return new TransformOptions(profilesDir, target, v, fullRefresh, threads, select, exclude, warehouse, projectName, command);
    }

    public TransformOptions withFullRefresh(boolean f) {
        return new TransformOptions(profilesDir, target, vars, f, threads, select, exclude, warehouse, projectName, command);
    }

    public TransformOptions withThreads(Integer n) {
        return new TransformOptions(profilesDir, target, vars, fullRefresh, n, select, exclude, warehouse, projectName, command);
    }

    public TransformOptions withSelect(String... s) {
        return new TransformOptions(profilesDir, target, vars, fullRefresh, threads, List.of(s), exclude, warehouse, projectName, command);
    }

    public TransformOptions withExclude(String... e) {
        return new TransformOptions(profilesDir, target, vars, fullRefresh, threads, select, List.of(e), warehouse, projectName, command);
    }

    public TransformOptions withProjectName(String name) {
        return new TransformOptions(profilesDir, target, vars, fullRefresh, threads, select, exclude, warehouse, name, command);
    }

    public TransformOptions withWarehouse(WarehouseTarget w) {
        return new TransformOptions(profilesDir, target, vars, fullRefresh, threads, select, exclude, w, projectName, command);
    }

    public TransformOptions withCommand(String c) {
        return new TransformOptions(profilesDir, target, vars, fullRefresh, threads, select, exclude, warehouse, projectName, c);
    }
}
