package dev.tributary.sandbox.sheets.data;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A spreadsheet: id, title, tabs, who it is shared with, and Drive's modifiedTime and version, which every change
 * advances. Writes are synchronized on the spreadsheet; reads see each row whole.
 */
public final class Spreadsheet {
    private final String id;
    private final String title;
    private final List<Tab> tabs = new CopyOnWriteArrayList<>();
    private final Set<String> sharedWith = ConcurrentHashMap.newKeySet();
    private final boolean anyoneWithLink;
    private volatile Instant modifiedTime;
    private volatile long version;
    private volatile boolean deleted;

    public Spreadsheet(String id, String title, boolean anyoneWithLink, Instant modifiedTime, Set<String> sharedWith) {
        this.id = id;
        this.title = title;
        this.anyoneWithLink = anyoneWithLink;
        this.modifiedTime = modifiedTime;
        this.version = 1;
        this.sharedWith.addAll(sharedWith);
    }

    public String id() { return id; }
    public String title() { return title; }
    public List<Tab> tabs() { return List.copyOf(tabs); }
    public boolean anyoneWithLink() { return anyoneWithLink; }
    public boolean sharedWith(String email) { return sharedWith.contains(email.toLowerCase(java.util.Locale.ROOT)); }
    public Instant modifiedTime() { return modifiedTime; }
    public long version() { return version; }
    public boolean deleted() { return deleted; }

    public void addTab(Tab tab) { tabs.add(tab); }

    /** Sheets matches titles case-insensitively. */
    public Optional<Tab> tab(String title) {
        return tabs.stream().filter(t -> t.title().equalsIgnoreCase(title)).findFirst();
    }

    public Tab firstTab() {
        return tabs.stream().min(java.util.Comparator.comparingInt(Tab::index)).orElse(null);
    }

    public synchronized void setCell(Tab tab, int row, int col, Cell value, Instant now) {
        tab.set(row, col, value);
        touch(now);
    }

    public synchronized void renameTab(Tab tab, String newTitle, Instant now) {
        if (tab(newTitle).filter(t -> t != tab).isPresent()) {
            throw new IllegalArgumentException("A sheet with the name \"" + newTitle + "\" already exists. Please enter another name.");
        }
        tab.title(newTitle);
        touch(now);
    }

    public synchronized void deleteTab(Tab tab, Instant now) {
        if (tabs.size() == 1) throw new IllegalArgumentException("You can't remove all the sheets in a document.");
        tabs.remove(tab);
        int i = 0;
        for (Tab t : tabs.stream().sorted(java.util.Comparator.comparingInt(Tab::index)).toList()) t.index(i++);
        touch(now);
    }

    public synchronized void delete(Instant now) {
        deleted = true;
        touch(now);
    }

    private void touch(Instant now) {
        Instant next = now.isAfter(modifiedTime) ? now : modifiedTime.plusMillis(1);
        modifiedTime = next;
        version++;
    }
}
