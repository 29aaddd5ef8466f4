package io.argus.client;

import io.argus.cluster.ZkPaths;
import io.argus.protocol.StatefulTasks;
import io.argus.protocol.v1.TaskRequest;

import java.util.List;
import java.util.Objects;

/**
 * What a stream asks of the cluster. Immutable; build with {@link #builder(String)}.
 */
public final class StreamSpec {
    private final String streamId;
    private final List<TaskRequest> tasks;
    private final int window;
    private final int maxAttempts;
    private final int frameTimeoutMs;
    private final long configVersion;
    private final ReplayConfig replay;
    private final ThinningConfig thinning;
    private final BackoffConfig backoff;
    private final SuspicionConfig suspicion;
    private final long recordFrom;
    private final long recordedAtUs;

    private StreamSpec(Builder b) {
        this.recordFrom = b.recordFrom;
        this.recordedAtUs = b.recordedAtUs;
        this.replay = b.replay;
        this.thinning = b.thinning;
        this.backoff = b.backoff;
        this.suspicion = b.suspicion;
        this.streamId = ZkPaths.checkName(b.streamId);
        this.tasks = List.copyOf(b.tasks);
        this.window = b.window;
        this.maxAttempts = b.maxAttempts;
        this.frameTimeoutMs = b.frameTimeoutMs;
        this.configVersion = b.configVersion;
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a stream needs at least one task");
        }
        if (window < 1 || window > 256) {
            throw new IllegalArgumentException("window must be 1-256: " + window);
        }
        if (recordFrom < 0) {
            throw new IllegalArgumentException("recordFrom must be a source index, 0 or more: " + recordFrom);
        }
        if (recordedAtUs < 0) {
            throw new IllegalArgumentException("recordedAt must be epoch microseconds, 0 or more: " + recordedAtUs);
        }
    }

    public static Builder builder(String streamId) {
        return new Builder(streamId);
    }

    public String streamId() {
        return streamId;
    }

    public List<TaskRequest> tasks() {
        return tasks;
    }

    public List<String> taskNames() {
        return tasks.stream().map(TaskRequest::getName).toList();
    }

    public int window() {
        return window;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public int frameTimeoutMs() {
        return frameTimeoutMs;
    }

    public long configVersion() {
        return configVersion;
    }

    /** What a sequenced (stateful) stream keeps for replay after a failover. */
    public ReplayConfig replay() {
        return replay;
    }

    /** How a live stream is thinned while its agent sheds load. */
    public ThinningConfig thinning() {
        return thinning;
    }

    /** The pauses before frames refused for a passing reason are sent again. */
    public BackoffConfig backoff() {
        return backoff;
    }

    /** When an agent is held to have failed the stream, and for how long it is avoided. */
    public SuspicionConfig suspicion() {
        return suspicion;
    }

    /** The first source index whose events the agent records; earlier frames are warm-up (0: all). */
    public long recordFrom() {
        return recordFrom;
    }

    /** The recording's start in epoch microseconds, which its events are dated from (0: by capture time). */
    public long recordedAtUs() {
        return recordedAtUs;
    }

    /** True when a task keeps per-stream state: frames are then applied strictly in order. */
    public boolean sequenced() {
        return StatefulTasks.any(taskNames());
    }

    public Builder toBuilder() {
        Builder b = new Builder(streamId);
        b.replay = replay;
        b.thinning = thinning;
        b.backoff = backoff;
        b.suspicion = suspicion;
        b.tasks = tasks;
        b.window = window;
        b.maxAttempts = maxAttempts;
        b.frameTimeoutMs = frameTimeoutMs;
        b.configVersion = configVersion;
        b.recordFrom = recordFrom;
        b.recordedAtUs = recordedAtUs;
        return b;
    }

    public static final class Builder {
        private final String streamId;
        private List<TaskRequest> tasks = List.of();
        private int window = 4;
        private int maxAttempts = 5;
        private int frameTimeoutMs = 15_000;
        private long configVersion;
        private ReplayConfig replay = ReplayConfig.DEFAULT;
        private ThinningConfig thinning = ThinningConfig.DEFAULT;
        private BackoffConfig backoff = BackoffConfig.DEFAULT;
        private SuspicionConfig suspicion = SuspicionConfig.DEFAULT;
        private long recordFrom;
        private long recordedAtUs;

        private Builder(String streamId) {
            this.streamId = streamId;
        }

        public Builder tasks(List<TaskRequest> v) {
            this.tasks = v;
            return this;
        }

        /**
         * Frames submitted but not yet delivered. Default 4: enough to keep two workers busy over a
         * network round trip; more only adds latency. The agent's credit grant caps it too.
         */
        public Builder window(int v) {
            this.window = v;
            return this;
        }

        /** Sends of one frame (first try plus resends after failures) before it is given up. Default 5. */
        public Builder maxAttempts(int v) {
            this.maxAttempts = v;
            return this;
        }

        /**
         * A frame unanswered this long is resent elsewhere (and counted as an attempt). Default
         * 15000 ms; a dead agent is normally noticed much sooner, by heartbeat or by the socket.
         */
        public Builder frameTimeoutMs(int v) {
            this.frameTimeoutMs = v;
            return this;
        }

        /** Frames kept for replay after a failover; default {@link ReplayConfig#DEFAULT}. */
        public Builder replay(ReplayConfig v) {
            this.replay = Objects.requireNonNull(v);
            return this;
        }

        /** How a live stream is thinned while its agent sheds load; default {@link ThinningConfig#DEFAULT}. */
        public Builder thinning(ThinningConfig v) {
            this.thinning = Objects.requireNonNull(v);
            return this;
        }

        /** Pauses before refused frames are sent again; default {@link BackoffConfig#DEFAULT}. */
        public Builder backoff(BackoffConfig v) {
            this.backoff = Objects.requireNonNull(v);
            return this;
        }

        /** When an agent is suspected and for how long; default {@link SuspicionConfig#DEFAULT}. */
        public Builder suspicion(SuspicionConfig v) {
            this.suspicion = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Frames with a lower source index are a warm-up: the agent applies them to the stream's
         * state and answers them as usual, but does not record their events (the durable record
         * and its counts). Default 0, every frame recorded. A segment of a recording run in
         * parallel ({@code analyze --parallel}) starts before the frames it owns, whose events the
         * previous segment records; without this its warm-up crossings were stored twice.
         */
        public Builder recordFrom(long sourceIndex) {
            this.recordFrom = sourceIndex;
            return this;
        }

        /**
         * The recording's start, epoch microseconds: the agent dates each event of a recorded frame
         * (one sent with a media time) this plus the frame's presentation time, on the recording's
         * clock, instead of by its capture time, which for a file is when it was read. Latency is
         * still measured from the capture time. Default 0: events dated by capture time. Every
         * segment of one file given the same start dates its events as a serial run does.
         */
        public Builder recordedAt(long epochMicros) {
            this.recordedAtUs = epochMicros;
            return this;
        }

        public Builder configVersion(long v) {
            this.configVersion = v;
            return this;
        }

        public StreamSpec build() {
            return new StreamSpec(this);
        }
    }
}
