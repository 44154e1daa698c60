package dev.tributary.server;

import dev.tributary.scheduler.alert.AlertDelivery;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the settings pages read from the project: its tributary.yml (shown masked), the names of its alert channels
 * (safe to show: no password or webhook token) and the newest alert deliveries.
 */
public record SettingsSources(Optional<Path> configFile, List<String> alertChannels, Supplier<List<AlertDelivery>> deliveries) {
    public static final SettingsSources NONE = new SettingsSources(Optional.empty(), List.of(), List::of);

    public SettingsSources {
        java.util.Objects.requireNonNull(configFile, "configFile is null");
        alertChannels = List.copyOf(alertChannels);
        java.util.Objects.requireNonNull(deliveries, "deliveries is null");
    }
}
