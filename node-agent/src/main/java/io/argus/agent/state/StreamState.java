package io.argus.agent.state;

import com.google.protobuf.ByteString;
import io.argus.agent.task.StatefulTask;
import io.argus.agent.task.TaskStates;
import io.argus.protocol.v1.StateBundle;
import io.argus.task.api.TaskException;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The state one stream keeps on this agent, per stateful task. Accessed only from the stream's
 * lane (frames of a stream run one at a time), so it needs no locking of its own; the store
 * synchronises on it for export and eviction, which may come from other threads.
 */
public final class StreamState implements TaskStates {
    private final String streamId;
    private final Map<String, Object> states = new LinkedHashMap<>();
    private final Map<String, StatefulTask<?>> owners = new LinkedHashMap<>();
    private final Map<String, byte[]> pendingImports = new LinkedHashMap<>();
    private volatile long lastUsedNanos = System.nanoTime();
    /** Bytes the state held when last measured (after its last frame); 0 when it holds none. */
    private volatile long bytes;
    private volatile long lastSourceIndex = -1;
    private final Sequencer sequencer = new Sequencer();
    /** The run this state belongs to (the client's session that started it); 0 when not known. */
    private volatile long run;
    /** The ownership epoch a managed stream runs under here; 0 when the stream does not name one. */
    private volatile long epoch;

    StreamState(String streamId) {
        this.streamId = streamId;
    }

    public String streamId() {
        return streamId;
    }

    @Override
    public synchronized <S> S get(StatefulTask<S> task) throws TaskException {
        Object s = states.get(task.name());
        if (s == null) {
            byte[] imported = pendingImports.remove(task.name());
            s = imported != null ? task.importState(imported) : task.newState();
            states.put(task.name(), s);
            owners.put(task.name(), task);
        }
        return task.stateType().cast(s);
    }

    /** Bytes the state held after its last frame ({@link #measure}). */
    public long bytes() {
        return bytes;
    }

    /** What {@link #measure} found last, even if the state was dropped since (for messages). */
    public long lastMeasured() {
        return lastMeasured;
    }

    private volatile long lastMeasured;

    /** Measures what the state holds now (from the stream's lane, between frames). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public synchronized long measure() {
        long n = 0;
        for (byte[] b : pendingImports.values()) {
            n += b.length;
        }
        for (Map.Entry<String, Object> e : states.entrySet()) {
            StatefulTask task = Objects.requireNonNull(owners.get(e.getKey())); // every state has its task
            n += task.stateBytes(e.getValue());
        }
        bytes = n;
        lastMeasured = n;
        return n;
    }

    /**
     * Frees what the tasks hold and keeps the stream's place in the sequence: its next frame is
     * applied to fresh state (the stream's state grew over its bound).
     */
    public synchronized void dropTaskState() {
        disposeAll();
    }

    void touch(long sourceIndex) {
        lastUsedNanos = System.nanoTime();
        if (sourceIndex > lastSourceIndex) {
            lastSourceIndex = sourceIndex;
        }
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    public long lastSourceIndex() {
        return lastSourceIndex;
    }

    /** The order of this stream's frames (used only from the stream's lane). */
    public Sequencer sequencer() {
        return sequencer;
    }

    /**
     * Stages an exported bundle; each task picks its part up on its next frame. A bundle that
     * names its last sequence opens the stream right after it.
     */
    public synchronized void stageImport(StateBundle bundle) {
        disposeAll();
        bundle.getTasksMap().forEach((task, bytes) -> pendingImports.put(task, bytes.toByteArray()));
        lastSourceIndex = bundle.getLastSourceIndex();
        run = bundle.getRun();
        if (bundle.getHasLastSequence()) {
            sequencer.openAt(bundle.getLastSequence() + 1, false);
        } else {
            sequencer.close();
        }
    }

    /**
     * {@code StreamControl.OPEN}: the client sends from {@code nextSequence} on.
     * <ul>
     *   <li>With a sequenced bundle (last sequence L): the stream continues from it, at L + 1, or
     *       at {@code nextSequence} if that is later (the client no longer has the frames between:
     *       a gap, counted).</li>
     *   <li>Without, on a stream held open here: the state is kept and never rewound; it moves on
     *       to {@code nextSequence} if that is later (a gap). Resends of frames already applied are
     *       answered from the stored answers, never applied again.</li>
     *   <li>Without, on a stream not open here: it starts fresh at {@code nextSequence}.</li>
     * </ul>
     *
     * @return the sequence the stream will apply next
     */
    public synchronized long open(long nextSequence, StateBundle imported) {
        return open(nextSequence, imported, 0);
    }

    /**
     * As {@link #open(long, StateBundle)}, for the given run (0: keep the run held or imported).
     * State held for another run is not continued: it is dropped and the stream starts fresh.
     */
    public synchronized long open(long nextSequence, @Nullable StateBundle imported, long run) {
        if (imported == null && run != 0 && this.run != run && sequencer.isOpen()) {
            // held state of another run of this stream (an earlier session): never continued by this one
            disposeAll();
            sequencer.close();
        }
        long next = openInner(nextSequence, imported);
        if (run != 0) {
            this.run = run;
        }
        return next;
    }

    public long run() {
        return run;
    }

    public long epoch() {
        return epoch;
    }

    /** Set by whoever runs the stream under an assignment (a managed stream's runner). */
    public void epoch(long epoch) {
        this.epoch = epoch;
    }

    private long openInner(long nextSequence, @Nullable StateBundle imported) {
        if (imported != null && imported.getHasLastSequence()) {
            stageImport(imported);
            if (nextSequence > sequencer.next()) {
                sequencer.openAt(nextSequence, true);
            }
            return sequencer.next();
        }
        if (imported == null && sequencer.isOpen()) {
            if (nextSequence > sequencer.next()) {
                sequencer.openAt(nextSequence, true);
            }
            return sequencer.next();
        }
        disposeAll();
        if (imported != null) {
            // an unsequenced (legacy) bundle: its effects, from the client's next frame on
            imported.getTasksMap().forEach((task, bytes) -> pendingImports.put(task, bytes.toByteArray()));
        }
        sequencer.openAt(nextSequence, false);
        return nextSequence;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public synchronized StateBundle export(String agentId, long nowUs) {
        StateBundle.Builder b = StateBundle.newBuilder().setStreamId(streamId).setAgentId(agentId)
                .setExportedAtUs(nowUs).setLastSourceIndex(Math.max(0, lastSourceIndex)).setRun(run);
        if (sequencer.isOpen()) {
            b.setLastSequence(Math.max(0, sequencer.lastApplied())).setHasLastSequence(sequencer.lastApplied() >= 0);
        }
        pendingImports.forEach((task, bytes) -> b.putTasks(task, ByteString.copyFrom(bytes)));
        for (Map.Entry<String, Object> e : states.entrySet()) {
            StatefulTask task = Objects.requireNonNull(owners.get(e.getKey())); // every state has its task
            b.putTasks(e.getKey(), ByteString.copyFrom(task.exportState(e.getValue())));
        }
        return b.build();
    }

    /** Cumulative counters of every stateful task, e.g. {@code people.door.in}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public synchronized Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : states.entrySet()) {
            StatefulTask task = Objects.requireNonNull(owners.get(e.getKey())); // every state has its task
            ((Map<String, Long>) task.counters(e.getValue())).forEach((k, v) -> out.put(e.getKey() + "." + k, v));
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    synchronized void disposeAll() {
        for (Map.Entry<String, Object> e : states.entrySet()) {
            StatefulTask task = Objects.requireNonNull(owners.get(e.getKey())); // every state has its task
            task.disposeState(e.getValue());
        }
        states.clear();
        owners.clear();
        pendingImports.clear();
        bytes = 0;
    }
}
