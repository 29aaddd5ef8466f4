package io.argus.coordinator.streams;

import io.argus.task.api.TaskException;
import io.argus.task.params.TaskParams;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterJson;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ManagedStatus;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The managed streams of the cluster: list, read, register (or replace) and delete, kept in
 * ZooKeeper. No transport here: the HTTP API calls it, and so can the CLI. Failures are
 * {@link StreamException}s.
 */
public final class StreamService {
    private static final Logger log = LoggerFactory.getLogger(StreamService.class);

    private final CuratorFramework curator;
    private final ZkPaths paths;
    private final ClusterView view;

    /** Whether the durable record holds events under a stream name (a replay must not add to another run's). */
    private final java.util.function.Predicate<String> recorded;

    public StreamService(CuratorFramework curator, ZkPaths paths, ClusterView view) {
        this(curator, paths, view, stream -> false);
    }

    /** @param recorded whether the durable record holds events under a name */
    public StreamService(CuratorFramework curator, ZkPaths paths, ClusterView view, java.util.function.Predicate<String> recorded) {
        this.curator = curator;
        this.paths = paths;
        this.view = view;
        this.recorded = recorded;
    }

    /**
     * A stream as the cluster sees it: its definition, where it runs, its configuration version and,
     * for a managed stream, its state ({@link #stateOf}; null for a client's stream).
     */
    public record StreamStatus(StreamDefinition definition, @Nullable Assignment assignment, int configVersion,
                               @Nullable ManagedStatus state) {
    }

    /**
     * A managed stream's state: what the agent that owns it reports under its current epoch, else
     * STARTING (not assigned yet, or assigned and not reported yet: a new owner restoring the
     * checkpoint, or an agent that died and whose successor is not chosen yet).
     */
    public static ManagedStatus stateOf(ClusterView view, StreamDefinition s) {
        Optional<ManagedStatus> reported = view.managedStatus(s.id());
        if (reported.isPresent()) {
            return reported.get();
        }
        Optional<Assignment> a = view.assignment(s.id());
        return ManagedStatus.starting(a.isEmpty() ? "waiting for an agent that can run its tasks"
                : "assigned to " + a.get().agent() + ", which has not reported yet");
    }

    /** Every stream, by id. */
    public List<StreamStatus> list() {
        Map<String, Assignment> assignments = view.assignments();
        return view.streams().values().stream().sorted(Comparator.comparing(StreamDefinition::id))
                .map(s -> status(s, assignments.get(s.id()))).toList();
    }

    public StreamStatus get(String id) {
        StreamDefinition s = view.stream(id).orElseThrow(() -> notFound(id));
        return status(s, view.assignments().get(id));
    }

    private StreamStatus status(StreamDefinition s, @Nullable Assignment as) {
        return new StreamStatus(s, as, view.config(s.id()).version(), s.managed() ? stateOf(view, s) : null);
    }

    /** A task of a stream to register, with its parameters in the order the client gave them. */
    public record TaskRequest(String name, Map<String, String> params) {
    }

    /** Registers (or replaces) a managed stream whose events are dated from its registration. */
    public StreamDefinition register(String id, String source, List<TaskRequest> requested, boolean loop,
                                     int width, int height) {
        return register(id, source, requested, loop, width, height, 0);
    }

    /** How far ahead of this coordinator's clock a recording's start may be: clocks differ, recordings do not come from the future. */
    public static final long MAX_RECORDED_AT_AHEAD_US = 24L * 3600 * 1_000_000;

    /**
     * Registers (or replaces) a managed stream; checks are in the order a client learns about them.
     *
     * @param recordedAtUs a recording's start (epoch microseconds), which its events are dated from;
     *                     0 for none. Only for a file or folder that does not loop
     */
    public StreamDefinition register(String id, String source, List<TaskRequest> requested, boolean loop,
                                     int width, int height, long recordedAtUs) {
        if (!ZkPaths.isValidName(id)) {
            throw invalid("BAD_REQUEST", "stream id '" + id + "' must be 1-128 of [A-Za-z0-9._-]");
        }
        if (source.isBlank()) {
            throw invalid("BAD_REQUEST", "a managed stream needs a source (URL, file or camera:N)");
        }
        checkSource(source);
        checkRecordedAt(source, loop, recordedAtUs);
        StreamDefinition existing = view.stream(id).orElse(null);
        if (existing != null && existing.replayName()) {
            throw invalid("BAD_REQUEST", id + " is a replayed recording; remove it first (stream rm " + id + ")");
        }
        StreamDefinition.ReplaySegment segment = existing == null ? null : existing.replay();
        if (segment != null) {
            throw invalid("BAD_REQUEST", id + " is a segment of the replay " + segment.recording() + "; remove the replay first (stream rm "
                    + segment.recording() + ")");
        }
        List<StreamDefinition.TaskSpec> tasks = tasksOf(requested);
        StreamDefinition s = new StreamDefinition(id, "coordinator", StreamDefinition.MANAGED, tasks, source, loop,
                System.currentTimeMillis(), width, height, recordedAtUs, null);
        write(s);
        return s;
    }

    /** Each task known and its parameters valid; at least one. */
    private static List<StreamDefinition.TaskSpec> tasksOf(List<TaskRequest> requested) {
        List<StreamDefinition.TaskSpec> tasks = new ArrayList<>();
        for (TaskRequest t : requested) {
            try {
                TaskParams.validate(t.name(), t.params());
            } catch (TaskException e) {
                throw invalid(e.code().name(), t.name() + ": " + e.getMessage());
            }
            tasks.add(new StreamDefinition.TaskSpec(t.name(), t.params()));
        }
        if (tasks.isEmpty()) {
            throw invalid("BAD_REQUEST", "a stream needs at least one task");
        }
        return tasks;
    }

    /** Creates or replaces the stream's node. */
    private void write(StreamDefinition s) {
        try {
            String path = paths.stream(s.id());
            try {
                curator.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                        .forPath(path, ClusterJson.write(s));
            } catch (KeeperException.NodeExistsException e) {
                curator.setData().forPath(path, ClusterJson.write(s));
            }
        } catch (Exception e) {
            log.warn("ZooKeeper write failed", e);
            throw unavailable();
        }
    }

    /**
     * Segments one replayed recording may be cut into. Each is a managed stream of its own in
     * ZooKeeper; a longer recording is cut into longer segments ({@code stream add --replay} does).
     */
    public static final int MAX_REPLAY_SEGMENTS = 1000;
    /** Between a replayed recording's name and its segment's number: {@code NAME.segK}. */
    public static final String SEGMENT_SUFFIX = ".seg";

    /** One segment of a replay as requested: frames {@code [warmUpStart, end)} run, {@code [start, end)} owned. */
    public record SegmentRequest(long warmUpStart, long start, long end) {
    }

    /**
     * Registers a recording to replay once, in parallel: the name {@code id} (kind
     * {@link StreamDefinition#REPLAY}: reserved, never placed) and one managed stream {@code id.segK}
     * per segment, each run by whichever agent it is placed on, its events recorded under {@code id}
     * ({@link StreamDefinition.ReplaySegment}). The segments must cover the file from frame 0
     * without gap or overlap, and their warm-ups may at most double the work
     * ({@link #MAX_WARM_UP_SHARE}). Refused while {@code id} or any {@code id.segK} exists, and when
     * the durable record already holds events under {@code id}: another run's events, whose ids a
     * different cut would not repeat, would be added to this one's totals.
     */
    public List<StreamDefinition> registerReplay(String id, String source, List<TaskRequest> requested, long recordedAtUs,
                                                 List<SegmentRequest> segments) {
        if (segments.isEmpty() || segments.size() > MAX_REPLAY_SEGMENTS) {
            throw invalid("BAD_REQUEST", "a replay needs 1-" + MAX_REPLAY_SEGMENTS + " segments: " + segments.size());
        }
        String lastSegment = id + SEGMENT_SUFFIX + (segments.size() - 1);
        if (!ZkPaths.isValidName(id) || !ZkPaths.isValidName(lastSegment)) {
            throw invalid("BAD_REQUEST", "stream id '" + id + "' must be of [A-Za-z0-9._-], short enough for " + lastSegment
                    + " to be at most 128 characters");
        }
        if (source.isBlank() || source.contains("://") || source.startsWith("camera:")) {
            throw invalid("BAD_REQUEST", "a replay needs a recorded file as its source: " + source);
        }
        checkSource(source);
        checkRecordedAt(source, false, recordedAtUs);
        List<StreamDefinition.TaskSpec> tasks = tasksOf(requested);
        long now = System.currentTimeMillis();
        List<StreamDefinition> defs = new ArrayList<>();
        long expectedStart = 0;
        long warmUpFrames = 0;
        for (int k = 0; k < segments.size(); k++) {
            SegmentRequest r = segments.get(k);
            if (r.start() != expectedStart) {
                throw invalid("BAD_REQUEST", "segment " + k + " starts at frame " + r.start() + ", not " + expectedStart
                        + ": segments cover the file from frame 0, each from the previous one's end");
            }
            StreamDefinition.ReplaySegment seg;
            try {
                seg = new StreamDefinition.ReplaySegment(id, k, segments.size(), r.warmUpStart(), r.start(), r.end());
            } catch (IllegalArgumentException e) {
                throw invalid("BAD_REQUEST", String.valueOf(e.getMessage()));
            }
            defs.add(new StreamDefinition(id + SEGMENT_SUFFIX + k, "coordinator", StreamDefinition.MANAGED, tasks, source,
                    false, now, 0, 0, recordedAtUs, seg));
            warmUpFrames += r.start() - r.warmUpStart();
            expectedStart = r.end();
        }
        if (warmUpFrames > expectedStart * MAX_WARM_UP_SHARE) {
            throw invalid("BAD_REQUEST", "the warm-ups (" + warmUpFrames + " frames) would be more work than the "
                    + expectedStart + " frames replayed: use longer segments or a shorter warm-up");
        }
        Optional<StreamDefinition> taken = view.stream(id);
        if (taken.isPresent()) {
            throw invalid("BAD_REQUEST", "a stream named " + id + " exists (" + taken.get().kind()
                    + "); remove it first with stream rm " + id);
        }
        for (String other : view.streams().keySet()) {
            if (isSegmentName(id, other)) {
                throw invalid("BAD_REQUEST", other + " exists, and " + id + "'s segments would be named like it; remove it or "
                        + "choose another name");
            }
        }
        boolean inRecord;
        try {
            inRecord = recorded.test(id);
        } catch (RuntimeException e) {
            log.warn("the durable record could not be read", e);
            throw new StreamException(StreamException.Kind.UNAVAILABLE, "UNAVAILABLE",
                    "the durable record cannot be read now; retry later");
        }
        if (inRecord) {
            throw invalid("BAD_REQUEST", "the durable record already holds events under " + id
                    + " from an earlier run; replay under another name");
        }
        write(new StreamDefinition(id, "coordinator", StreamDefinition.REPLAY, tasks, source, false, now, 0, 0,
                recordedAtUs, null));
        defs.forEach(this::write);
        return defs;
    }

    /** Warm-up frames a replay may run, as a share of the frames it replays: at most double the work. */
    public static final long MAX_WARM_UP_SHARE = 1;

    /** {@code other} is {@code id.segK}. */
    static boolean isSegmentName(String id, String other) {
        String prefix = id + SEGMENT_SUFFIX;
        return other.startsWith(prefix) && other.length() > prefix.length()
                && other.substring(prefix.length()).chars().allMatch(Character::isDigit);
    }

    /**
     * The administrator's allow-list (SourcePolicy), so that a refused source is refused here; then,
     * for a local file or folder whose media root this machine has, that it exists and can be read
     * ({@link LocalSourceCheck}).
     */
    private void checkSource(String source) {
        SourcePolicy policy;
        Optional<String> refusal;
        try {
            policy = SourcePolicies.read(curator, paths);
            refusal = policy.check(source);
        } catch (IllegalStateException e) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE, "UNAVAILABLE", e.getMessage());
        }
        if (refusal.isPresent()) {
            throw invalid("SOURCE_NOT_ALLOWED", refusal.get());
        }
        Optional<Path> root = policy.mediaRootOf(source);
        if (root.isPresent()) {
            Optional<LocalSourceCheck.Problem> problem = LocalSourceCheck.check(source, root.get());
            if (problem.isPresent()) {
                throw invalid(problem.get().code(), problem.get().message());
            }
        }
    }

    /**
     * A recording's start is for a recording: not for a camera or a network source (their frames are
     * dated when captured), not for a looping file (its footage would be dated again on every
     * loop), and not in the future.
     */
    private static void checkRecordedAt(String source, boolean loop, long recordedAtUs) {
        if (recordedAtUs == 0) {
            return;
        }
        if (source.contains("://") || source.startsWith("camera:")) {
            throw invalid("BAD_REQUEST", "recorded_at is for a recorded file or folder; " + source
                    + " is live and its frames are dated when captured");
        }
        if (loop) {
            throw invalid("BAD_REQUEST", "recorded_at cannot be combined with loop: each loop would date the same footage again");
        }
        if (recordedAtUs < 0 || recordedAtUs > System.currentTimeMillis() * 1000 + MAX_RECORDED_AT_AHEAD_US) {
            throw invalid("BAD_REQUEST", "recorded_at must be a time after 1970 and not in the future");
        }
    }

    /**
     * Deletes a stream and its configuration, and, when {@code id} names a replayed recording, its
     * segments; deleting a stream that is not there is not an error. A segment alone is refused.
     */
    public void delete(String id) {
        StreamDefinition d = view.stream(id).orElse(null);
        StreamDefinition.ReplaySegment segment = d == null ? null : d.replay();
        if (segment != null) {
            throw invalid("BAD_REQUEST", id + " is a segment of the replay " + segment.recording()
                    + "; removing it alone would leave a hole in the recording: stream rm " + segment.recording());
        }
        if (d != null && d.replayName()) {
            for (StreamDefinition s : view.streams().values()) {
                StreamDefinition.ReplaySegment of = s.replay();
                if (of != null && of.recording().equals(id)) {
                    deleteOne(s.id());
                }
            }
        }
        deleteOne(id);
    }

    private void deleteOne(String id) {
        try {
            for (String p : List.of(paths.stream(id), paths.streamConfig(id))) {
                try {
                    curator.delete().forPath(p);
                } catch (KeeperException.NoNodeException ignored) {
                    // already gone
                }
            }
        } catch (Exception e) {
            log.warn("ZooKeeper write failed", e);
            throw unavailable();
        }
    }

    private static StreamException invalid(String code, String message) {
        return new StreamException(StreamException.Kind.INVALID, code, message);
    }

    private static StreamException notFound(String id) {
        return new StreamException(StreamException.Kind.NOT_FOUND, "NOT_FOUND", "no stream " + id);
    }

    private static StreamException unavailable() {
        return new StreamException(StreamException.Kind.UNAVAILABLE, "UNAVAILABLE", "ZooKeeper is unavailable; retry later");
    }
}
