package dev.tributary.sandbox.wrike.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One task, mutable under the workspace's lock. Optional fields are rendered only when asked for with fields=[...]. */
public final class Task {
    public final String id;
    public String title;
    public String description;
    public String status;
    public String importance;
    public final long created;
    public long updated;
    public Long completed;
    public String datesType;
    public long start;
    public long due;
    public String customStatusId;
    public List<String> parentIds = new ArrayList<>();
    public List<String> superTaskIds = new ArrayList<>();
    public List<String> subTaskIds = new ArrayList<>();
    public List<String> responsibleIds = new ArrayList<>();
    public List<String> authorIds = new ArrayList<>();
    public List<String> dependencyIds = new ArrayList<>();
    public Map<String, String> customFields = new LinkedHashMap<>();
    public int effortMinutes;
    public boolean recycled;

    Task(String id, long created) {
        this.id = id;
        this.created = created;
        this.updated = created;
    }
}
