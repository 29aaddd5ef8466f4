package io.argus.app.console.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console remembers across restarts, as JSON in the user's configuration directory
 * ({@code $XDG_CONFIG_HOME/argus/console.json}, else {@code ~/.config/argus/console.json}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class ConsoleSettings {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Source {
        @SuppressWarnings("NullAway.Init") // Jackson fills it from the file, add() when the user adds a source
        public String name;
        @SuppressWarnings("NullAway.Init") // likewise
        public String source;
        public boolean loop;
        public List<String> tasks = new ArrayList<>();
        /** task -> parameter -> value */
        public Map<String, Map<String, String>> params = new LinkedHashMap<>();
        /** alert when occupancy exceeds this (0 = never) */
        public int occupancyAlert;
        /** alert when more than this many line crossings (in and out) happen in a minute (0 = never) */
        public int crossingRateAlert;
    }

    public List<Source> sources = new ArrayList<>();
    public String layout = "auto";
    public boolean alignedOverlays = true;
    /** Where snapshots are saved; empty: "snapshots" next to the settings file. */
    public String snapshotDir = "";

    public static Path defaultPath() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("argus").resolve("console.json");
    }

    public static ConsoleSettings load(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), ConsoleSettings.class) : new ConsoleSettings();
        } catch (IOException e) {
            return new ConsoleSettings(); // a damaged settings file must not stop the console
        }
    }

    public void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "console", ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public @Nullable Source find(@Nullable String name) {
        return sources.stream().filter(s -> s.name.equals(name)).findFirst().orElse(null);
    }
}
