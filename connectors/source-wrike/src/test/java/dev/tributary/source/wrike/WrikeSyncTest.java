package dev.tributary.source.wrike;

import static dev.tributary.source.wrike.WrikeSupport.config;
import static dev.tributary.source.wrike.WrikeSupport.permanent;
import static dev.tributary.source.wrike.WrikeSupport.read;
import static dev.tributary.source.wrike.WrikeSupport.source;
import static dev.tributary.source.wrike.WrikeSupport.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.sandbox.wrike.WrikeSandbox;
import dev.tributary.sandbox.wrike.WrikeSandboxOptions;
import dev.tributary.sandbox.wrike.data.Task;
import dev.tributary.spi.Completion;
import dev.tributary.spi.Config;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.SyncMode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The source against the sandbox over real HTTP: every stream, typed child tables, windows, deletions, paging exactness, resume, reconciliation. */
class WrikeSyncTest {
    static WrikeSandbox sandbox(int tasks) {
        return WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(tasks).seed(5).rateLimitsEnabled(false).build());
    }

    static Set<String> liveTaskIds(WrikeSandbox w) {
        synchronized (w.workspace()) {
            return w.workspace().tasks.values().stream().filter(t -> !t.recycled).map(t -> t.id).collect(Collectors.toSet());
        }
    }

    @Test
    void everyStreamReadsAndChildTablesAreTyped() {
        try (WrikeSandbox w = sandbox(1_200)) {
            WrikeSource s = source(w);
            Config c = config(permanent(w));
            assertTrue(s.check(c).ok(), s.check(c).toString());
            for (String name : WrikeCatalog.names()) {
                WrikeSupport.Read r = read(s, c, name, SyncMode.FULL_REFRESH, Optional.empty());
                assertFalse(r.records().isEmpty(), name + " has rows");
            }
            WrikeSupport.Read tasks = read(s, c, "tasks", SyncMode.FULL_REFRESH, Optional.empty());
            assertEquals(liveTaskIds(w), tasks.records().stream().map(r -> (String) r.value(0)).collect(Collectors.toSet()));
            Record t = tasks.records().get(0);
            assertTrue(v(s, c, "tasks", t, "updated_date") instanceof Instant);
            assertTrue(v(s, c, "tasks", t, "custom_fields").toString().contains("value"), "custom fields also kept raw");

            WrikeSupport.Read cf = read(s, c, "task_custom_fields", SyncMode.FULL_REFRESH, Optional.empty());
            boolean sawNumber = false, sawBadNumber = false, sawBool = false;
            for (Record r : cf.records()) {
                String type = (String) v(s, c, "task_custom_fields", r, "field_type");
                Object raw = v(s, c, "task_custom_fields", r, "value");
                if (type.equals("Numeric") && v(s, c, "task_custom_fields", r, "value_number") instanceof BigDecimal) sawNumber = true;
                if (type.equals("Numeric") && "n/a".equals(raw)) {
                    sawBadNumber = true;
                    assertNull(v(s, c, "task_custom_fields", r, "value_number"), "text in a number field is not made a number");
                }
                if (type.equals("Checkbox")) sawBool |= v(s, c, "task_custom_fields", r, "value_boolean") instanceof Boolean;
            }
            assertTrue(sawNumber && sawBadNumber && sawBool);
            for (RecordBatch b : cf.batches()) assertTrue(b.completions().stream().anyMatch(x -> x instanceof Completion.Scopes), "child batches declare their tasks");

            WrikeSupport.Read folders = read(s, c, "folders", SyncMode.FULL_REFRESH, Optional.empty());
            long projects = folders.records().stream().filter(r -> Boolean.TRUE.equals(v(s, c, "folders", r, "is_project"))).count();
            assertEquals(w.workspace().projectIds().size(), projects);
            Record project = folders.records().stream().filter(r -> Boolean.TRUE.equals(v(s, c, "folders", r, "is_project"))).findFirst().orElseThrow();
            assertTrue(v(s, c, "folders", project, "project_start_date") instanceof java.time.LocalDate);
            assertTrue(v(s, c, "folders", project, "project_status") != null);

            WrikeSupport.Read contacts = read(s, c, "contacts", SyncMode.FULL_REFRESH, Optional.empty());
            assertEquals(1, contacts.deleted().size(), "the user who left is a soft delete");
            WrikeSupport.Read logs = read(s, c, "timelogs", SyncMode.FULL_REFRESH, Optional.empty());
            assertEquals(w.workspace().timelogs.size(), logs.records().size());
            assertTrue(v(s, c, "timelogs", logs.records().get(0), "hours") instanceof BigDecimal);
            assertTrue(v(s, c, "timelogs", logs.records().get(0), "tracked_date") instanceof java.time.LocalDate);
            // dependencies come through the tasks' dependencyIds and /dependencies/{ids}, as Wrike offers them
            long byIdBefore = w.control().count("GET /api/v4/dependencies/{id}", 200);
            WrikeSupport.Read deps = read(s, c, "dependencies", SyncMode.FULL_REFRESH, Optional.empty());
            assertEquals(w.workspace().dependencies.size(), deps.records().size());
            assertEquals(w.workspace().dependencies.size(), deps.records().stream().map(r -> r.value(0)).distinct().count());
            long byId = w.control().count("GET /api/v4/dependencies/{id}", 200) - byIdBefore;
            assertEquals((w.workspace().dependencies.size() + 99) / 100, byId, "100 ids a call");
            assertEquals(0, w.control().count("GET /api/v4/dependencies ", 200), "the account-wide list Wrike lacks is never used");
            long subtaskLinks = read(s, c, "task_super_tasks", SyncMode.FULL_REFRESH, Optional.empty()).records().size();
            assertTrue(subtaskLinks > 100, "subtasks are read (subTasks=true): " + subtaskLinks);
        }
    }

    @Test
    void incrementalWindowsPickUpEditsNewTasksAndTheRecycleBin() {
        try (WrikeSandbox w = sandbox(1_500)) {
            WrikeSource s = source(w);
            Config c = config(permanent(w));
            WrikeSupport.Read first = read(s, c, "tasks", SyncMode.INCREMENTAL, Optional.empty());
            assertEquals(liveTaskIds(w).size(), first.records().size());
            List<String> edited = w.control().updateTasks(40);
            List<String> created = w.control().createTasks(5);
            List<String> deleted = List.of(edited.get(0), edited.get(1));
            w.control().deleteTasks(deleted);
            w.control().advanceClock(Duration.ofSeconds(120)); // past the safety lag
            long before = w.control().requests();
            WrikeSupport.Read second = read(s, c, "tasks", SyncMode.INCREMENTAL, first.lastState());
            Set<String> live = second.live().stream().map(r -> (String) r.value(0)).collect(Collectors.toSet());
            assertTrue(live.containsAll(edited.subList(2, edited.size())), "edits are read");
            assertTrue(live.containsAll(created), "new tasks are read");
            assertEquals(Set.copyOf(deleted), second.deleted().stream().map(r -> (String) r.value(0)).collect(Collectors.toSet()));
            assertTrue(live.size() < 200, "only the window is read, not everything: " + live.size());
            assertTrue(w.control().requests() - before <= 3, "a window of 45 changes is one page plus the recycle bin: " + (w.control().requests() - before));
            // edits inside the safety lag wait for the next window
            List<String> late = w.control().updateTasks(3);
            WrikeSupport.Read third = read(s, c, "tasks", SyncMode.INCREMENTAL, second.lastState());
            assertFalse(third.records().stream().map(r -> (String) r.value(0)).collect(Collectors.toSet()).containsAll(late));
            w.control().advanceClock(Duration.ofSeconds(120));
            WrikeSupport.Read fourth = read(s, c, "tasks", SyncMode.INCREMENTAL, third.lastState());
            assertTrue(fourth.records().stream().map(r -> (String) r.value(0)).collect(Collectors.toSet()).containsAll(late));
        }
    }

    @Test
    void manyTasksSharingOneSecondPageExactlyAndChildTablesFollow() {
        try (WrikeSandbox w = sandbox(2_000)) {
            WrikeSource s = source(w);
            ObjectNode settings = permanent(w).put("page_size", 50);
            Config c = config(settings);
            WrikeSupport.Read first = read(s, c, "tasks", SyncMode.INCREMENTAL, Optional.empty());
            WrikeSupport.Read firstResp = read(s, c, "task_responsibles", SyncMode.INCREMENTAL, Optional.empty());
            List<String> edited = w.control().updateTasks(400); // 400 tasks, one timestamp, 8 pages of 50
            w.control().advanceClock(Duration.ofSeconds(120));
            WrikeSupport.Read second = read(s, c, "tasks", SyncMode.INCREMENTAL, first.lastState());
            List<String> ids = second.records().stream().map(r -> (String) r.value(0)).toList();
            assertEquals(ids.size(), new HashSet<>(ids).size(), "no task twice in one window");
            assertTrue(ids.containsAll(edited), "no gap among tasks sharing one second");
            WrikeSupport.Read resp = read(s, c, "task_responsibles", SyncMode.INCREMENTAL, firstResp.lastState());
            Set<Object> scoped = resp.batches().stream().flatMap(b -> b.completions().stream())
                    .flatMap(x -> ((Completion.Scopes) x).values().stream()).map(v -> v.get(0)).collect(Collectors.toSet());
            assertTrue(scoped.containsAll(edited));
        }
    }

    @Test
    void resumesFromAnyCheckpointWithoutLosingTasks() {
        try (WrikeSandbox w = sandbox(1_000)) {
            WrikeSource s = source(w);
            Config c = config(permanent(w).put("page_size", 100));
            var stream = WrikeSupport.stream(s, c, "tasks", SyncMode.INCREMENTAL);
            WrikeSupport.Read part = read(s, c, stream, Optional.empty(), 3); // the process dies after three pages
            assertEquals(300, part.records().size());
            WrikeSupport.Read rest = read(s, c, stream, part.lastState(), Integer.MAX_VALUE);
            Set<String> all = new HashSet<>();
            part.records().forEach(r -> all.add((String) r.value(0)));
            rest.records().forEach(r -> all.add((String) r.value(0)));
            assertEquals(liveTaskIds(w), all);
            assertTrue(rest.records().size() <= liveTaskIds(w).size() - 300 + 100, "resume continues from the page token: " + rest.records().size());
        }
    }

    @Test
    void reconciliationListsEveryIdSoSilentlyVanishedTasksAreDeleted() {
        try (WrikeSandbox w = sandbox(800)) {
            WrikeSource s = source(w);
            Config c = config(permanent(w));
            WrikeSupport.Read first = read(s, c, "tasks", SyncMode.INCREMENTAL, Optional.empty());
            String gone = (String) first.records().get(5).value(0);
            w.control().purgeTasks(List.of(gone));
            w.control().advanceClock(Duration.ofHours(2));
            WrikeSupport.Read notYet = read(s, c, "tasks", SyncMode.INCREMENTAL, first.lastState());
            assertTrue(notYet.batches().stream().noneMatch(b -> b.completions().stream().anyMatch(x -> x instanceof Completion.KeysSeen)));
            w.control().advanceClock(Duration.ofDays(1));
            WrikeSupport.Read due = read(s, c, "tasks", SyncMode.INCREMENTAL, notYet.lastState());
            List<Completion.KeysSeen> seen = due.batches().stream().flatMap(b -> b.completions().stream())
                    .filter(x -> x instanceof Completion.KeysSeen).map(x -> (Completion.KeysSeen) x).toList();
            assertFalse(seen.isEmpty());
            assertTrue(seen.get(seen.size() - 1).endsPass());
            Set<Object> keys = seen.stream().flatMap(k -> k.keys().stream()).map(k -> k.get(0)).collect(Collectors.toSet());
            assertFalse(keys.contains(gone));
            assertEquals(liveTaskIds(w), keys);
        }
    }

    @Test
    void deletedTimeLogsAreFoundByTheDailyIdList() {
        try (WrikeSandbox w = sandbox(400)) {
            WrikeSource s = source(w);
            Config c = config(permanent(w));
            WrikeSupport.Read first = read(s, c, "timelogs", SyncMode.INCREMENTAL, Optional.empty());
            String gone = (String) first.records().get(0).value(0);
            w.control().deleteTimelogs(List.of(gone));
            w.control().addTimelogs(2);
            w.control().advanceClock(Duration.ofDays(1).plusMinutes(5));
            WrikeSupport.Read next = read(s, c, "timelogs", SyncMode.INCREMENTAL, first.lastState());
            assertEquals(2, next.records().size(), "only the new time logs are read");
            List<Completion.KeysSeen> seen = next.batches().stream().flatMap(b -> b.completions().stream())
                    .filter(x -> x instanceof Completion.KeysSeen).map(x -> (Completion.KeysSeen) x).toList();
            assertEquals(1, seen.size());
            assertTrue(seen.get(0).endsPass());
            Set<Object> keys = seen.get(0).keys().stream().map(k -> k.get(0)).collect(Collectors.toSet());
            assertFalse(keys.contains(gone));
            assertEquals(w.workspace().timelogs.size(), keys.size());
        }
    }

    @Test
    void aFullRefreshFromAStartDateReadsOnlyTasksUpdatedSince() {
        try (WrikeSandbox w = sandbox(600)) {
            WrikeSource s = source(w);
            Instant from = Instant.parse("2025-05-01T00:00:00Z");
            Config c = config(permanent(w).put("start_date", "2025-05-01"));
            long expected;
            synchronized (w.workspace()) {
                expected = w.workspace().tasks.values().stream().filter(t -> !t.recycled && t.updated >= from.toEpochMilli()).count();
            }
            assertTrue(expected > 0 && expected < 600, "some tasks before, some after: " + expected);
            assertEquals(expected, read(s, c, "tasks", SyncMode.FULL_REFRESH, Optional.empty()).records().size());
        }
    }

    @Test
    void settingsAreCheckedWithClearMessages() {
        try (WrikeSandbox w = sandbox(10)) {
            WrikeSource s = source(w);
            assertTrue(s.check(config(permanent(w).put("access_token", "wrong"))).message().contains("not_authorized"));
            var e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> s.validate(config(permanent(w).put("page_size", 5000))));
            assertTrue(e.getMessage().contains("page_size"));
            ObjectNode bad = permanent(w);
            bad.set("streams", WrikeSupport.JSON.createArrayNode().add("taks"));
            var e2 = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> s.validate(config(bad)));
            assertTrue(e2.getMessage().contains("tasks"), e2.getMessage());
        }
    }
}
