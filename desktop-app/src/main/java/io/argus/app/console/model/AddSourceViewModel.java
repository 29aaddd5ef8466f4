package io.argus.app.console.model;

import io.argus.media.FfmpegSource;
import io.argus.media.SourceUnavailableException;
import io.argus.media.SourceUnavailableException.Reason;
import io.argus.media.Sources;
import io.argus.protocol.Names;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Add source dialog's state and its one action: what the operator typed, what is wrong with
 * it, and whether the source is being checked. Obvious mistakes (no name, a name already on the
 * wall, no source) are refused at once; anything else is opened and read by {@link SourceProbe} on a
 * thread of its own, within {@link #DEFAULT_PROBE_TIMEOUT}, and only a source that gave a frame is
 * added. The problems are the operator's words: {@link SourceUnavailableException}'s message.
 */
public final class AddSourceViewModel {
    /**
     * How long a check may take before the source is called unreachable: FFmpeg gives a network
     * source {@link FfmpegSource#NETWORK_TIMEOUT_US} to connect and as long again for its first
     * frame; 2 s more for an RTSP handshake. A camera device that hangs is given up on just the same.
     */
    public static final Duration DEFAULT_PROBE_TIMEOUT =
            Duration.ofMillis(2 * FfmpegSource.NETWORK_TIMEOUT_US / 1000 + 2000);

    /** What the source field holds. */
    public enum Kind {
        FILE("video file"), FOLDER("image folder"), URL("RTSP/HTTP URL"), CAMERA("camera index"),
        MANAGED("managed stream");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * Probes that do not answer are left to end on their own (FFmpeg's blocking calls cannot be
     * interrupted): daemon threads, so that one cannot keep the console from exiting.
     */
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "argus-console-probe");
        t.setDaemon(true);
        return t;
    });

    private final ConsoleModel model;
    private final Executor ui;
    private final Duration probeTimeout;
    private final StringProperty name = new SimpleStringProperty("");
    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(Kind.FILE);
    private final StringProperty source = new SimpleStringProperty("");
    private final BooleanProperty loop = new SimpleBooleanProperty(false);
    private final ReadOnlyStringWrapper nameProblem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper sourceProblem = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper checking = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    /** Set when the dialog was cancelled: a check still running then adds nothing. */
    private boolean cancelled;

    /** For the dialog: results are applied on the JavaFX thread. */
    public AddSourceViewModel(ConsoleModel model) {
        this(model, Platform::runLater, DEFAULT_PROBE_TIMEOUT);
    }

    /**
     * @param ui           where a check's result is applied (and the stream added): the JavaFX thread
     * @param probeTimeout how long a check may take
     */
    public AddSourceViewModel(ConsoleModel model, Executor ui, Duration probeTimeout) {
        this.model = model;
        this.ui = ui;
        this.probeTimeout = probeTimeout;
        // a problem is about what was typed: typing again clears it
        name.addListener((o, a, b) -> nameProblem.set(""));
        source.addListener((o, a, b) -> sourceProblem.set(""));
        kind.addListener((o, a, b) -> sourceProblem.set(""));
    }

    public StringProperty nameProperty() {
        return name;
    }

    public ObjectProperty<Kind> kindProperty() {
        return kind;
    }

    public StringProperty sourceProperty() {
        return source;
    }

    public BooleanProperty loopProperty() {
        return loop;
    }

    /** What is wrong with the name, or empty. */
    public ReadOnlyStringProperty nameProblemProperty() {
        return nameProblem.getReadOnlyProperty();
    }

    /** What is wrong with the source, or empty. */
    public ReadOnlyStringProperty sourceProblemProperty() {
        return sourceProblem.getReadOnlyProperty();
    }

    /** True while the source is being opened: no second check, no add. */
    public ReadOnlyBooleanProperty checkingProperty() {
        return checking.getReadOnlyProperty();
    }

    /** "checking ..." while a check runs, else empty. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The operator gave up (Cancel, the window closed): a check still running adds nothing when it ends. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * A file or folder picked with Browse: it becomes the source (and its kind), and names the
     * stream as the CLI would ({@link Sources#defaultStreamName}) unless the operator named it.
     */
    public void picked(Path p, boolean folder) {
        kind.set(folder ? Kind.FOLDER : Kind.FILE);
        source.set(p.toAbsolutePath().toString());
        if (name.get().isBlank()) {
            String base = Sources.defaultStreamName(p.toString());
            String n = base;
            for (int i = 2; model.find(n).isPresent(); i++) {
                n = base + "-" + i;
            }
            name.set(n);
        }
    }

    /** Browse could not show a chooser: said where the path is typed instead. */
    public void browseFailed(String why) {
        sourceProblem.set(why);
    }

    /** Where Browse starts: the folder of the path typed so far, if there is one. */
    public Optional<Path> browseStart() {
        try {
            Path p = Path.of(source.get().trim()).toAbsolutePath();
            Path dir = Files.isDirectory(p) ? p : p.getParent();
            return dir != null && Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The name the stream will have: a managed stream's is the source field. */
    private String streamName() {
        return (kind.get() == Kind.MANAGED ? source.get() : name.get()).trim();
    }

    private String spec() {
        String s = source.get().trim();
        return switch (kind.get()) {
            case CAMERA -> "camera:" + s;
            case MANAGED -> "managed";
            default -> s;
        };
    }

    /**
     * Checks the source and, if it gives a frame, adds the stream with {@code tasks}. Completes, on
     * the {@code ui} executor, with the stream added, or empty with the problems set.
     */
    public CompletableFuture<Optional<StreamViewModel>> submit(List<String> tasks) {
        if (cancelled || checking.get() || !inputOk()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String n = streamName();
        String spec = spec();
        boolean lp = loop.get();
        if (kind.get() == Kind.MANAGED) {
            // the coordinator's stream: its source is opened on an agent's machine, not here
            return CompletableFuture.completedFuture(add(n, spec, lp, tasks));
        }
        checking.set(true);
        status.set("checking " + spec + " ...");
        CompletableFuture<Optional<StreamViewModel>> done = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> {
            try {
                SourceProbe.check(spec);
            } catch (SourceUnavailableException e) {
                throw new CompletionException(e);
            }
        }, PROBES).orTimeout(probeTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, err) -> ui.execute(() -> {
            checking.set(false);
            status.set("");
            if (cancelled) {
                done.complete(Optional.empty());
            } else if (err == null) {
                done.complete(add(n, spec, lp, tasks));
            } else {
                sourceProblem.set(plain(err, spec));
                done.complete(Optional.empty());
            }
        }));
        return done;
    }

    private Optional<StreamViewModel> add(String n, String spec, boolean lp, List<String> tasks) {
        try {
            return Optional.of(model.addSource(n, spec, lp, tasks, Map.of()));
        } catch (IllegalArgumentException e) { // added meanwhile under the same name
            problemWithName(Objects.requireNonNullElse(e.getMessage(), "cannot add " + n));
            return Optional.empty();
        }
    }

    /** The mistakes seen without opening anything; sets their messages. */
    private boolean inputOk() {
        String n = streamName();
        String s = source.get().trim();
        boolean managed = kind.get() == Kind.MANAGED;
        String nameIssue = managed && n.isEmpty() ? "" : n.isEmpty() ? "give the stream a name"
                : !Names.isValid(n) ? "a stream name is 1-" + Names.MAX_CHARS + " letters, digits, '.', '_' or '-'"
                : model.find(n).isPresent() ? "a stream called '" + n + "' is already on the wall" : "";
        String sourceIssue = switch (kind.get()) {
            case FILE -> s.isEmpty() ? "give the path of a video file or an image" : "";
            case FOLDER -> s.isEmpty() ? "give the path of a folder of images" : "";
            case URL -> s.isEmpty() ? "give the stream's URL"
                    : !Sources.isUrl(s) ? "a URL starts with rtsp://, http:// or https://" : "";
            case CAMERA -> s.matches("[0-9]+") ? "" : "give the camera's number (0 for /dev/video0)";
            case MANAGED -> s.isEmpty() ? "give the managed stream's name" : "";
        };
        nameProblem.set("");
        sourceProblem.set(sourceIssue);
        if (!nameIssue.isEmpty()) {
            problemWithName(nameIssue);
        }
        return nameIssue.isEmpty() && sourceIssue.isEmpty();
    }

    /** A managed stream's name is typed in the source field: its problems are said there. */
    private void problemWithName(String text) {
        (kind.get() == Kind.MANAGED ? sourceProblem : nameProblem).set(text);
    }

    /** The operator's words for a failed check. */
    private String plain(Throwable err, String spec) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (e instanceof SourceUnavailableException u) {
            return Objects.requireNonNullElse(u.getMessage(), "cannot open " + spec);
        }
        if (e instanceof TimeoutException) {
            Reason r = spec.startsWith("camera:") ? Reason.NO_CAMERA
                    : Sources.isUrl(spec) ? Reason.UNREACHABLE : Reason.NOT_VIDEO;
            String within = probeTimeout.toMillis() % 1000 == 0 ? probeTimeout.toSeconds() + " s"
                    : probeTimeout.toMillis() + " ms";
            String problem = "no frame from " + spec + " within " + within;
            return Objects.requireNonNullElse(new SourceUnavailableException(r, spec, problem).getMessage(), problem);
        }
        return "cannot open " + spec + " (the console's log has the details)";
    }
}
