package io.argus.agent.net;

import io.argus.agent.state.StreamStateStore;
import io.argus.cluster.StreamDefinition;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Who may send frames to, control ({@code StreamControl}) and view ({@code Subscribe}) a stream on
 * this agent (the rules per {@link io.argus.protocol.auth.Grant}).
 *
 * <p>A stream's owner is, in this order: the coordinator, for a managed stream (only an admin may
 * touch it over the network; its frames come from the agent's own runner); the client id a client
 * stream was registered under in ZooKeeper; for an unregistered stream, the party that first sent
 * or opened it here, for as long as this agent holds the stream's state (a claim outlives nothing:
 * once the state is dropped or expires, the next party claims it afresh).
 *
 * <p>Definitions are read from the cluster view and remembered for {@link #DEFINITION_MEMO_MS}, so
 * that a frame costs a map lookup, not a JSON parse; a stream registered within that time may be
 * judged by the previous definition for as long.
 */
public final class StreamAccess {
    /** How long a stream's definition (or its absence) is reused. */
    static final long DEFINITION_MEMO_MS = 1_000;

    /** Why an action was refused, or null when allowed. */
    record Verdict(@Nullable String refusal) {
        static final Verdict ALLOWED = new Verdict(null);

        boolean allowed() {
            return refusal == null;
        }
    }

    private record Memo(Optional<StreamDefinition> def, long expiresMs) {
    }

    private final Function<String, Optional<StreamDefinition>> definitions;
    private final StreamStateStore states;
    private final LongSupplier clockMs;
    private final int maxEntries;
    private final Map<String, String> claims = new ConcurrentHashMap<>();
    private final Map<String, Memo> memo = new ConcurrentHashMap<>();

    /**
     * @param definitions registered streams (empty without ZooKeeper)
     * @param maxEntries  claims and memos kept at most (the agent's stream bound times a margin)
     */
    public StreamAccess(Function<String, Optional<StreamDefinition>> definitions, StreamStateStore states,
                 LongSupplier clockMs, int maxEntries) {
        this.definitions = definitions;
        this.states = states;
        this.clockMs = clockMs;
        this.maxEntries = maxEntries;
    }

    /** Sending a frame or a StreamControl: the owner, or an admin. Claims an unowned stream. */
    Verdict write(Party p, String stream) {
        if (!p.grant().maySend()) {
            return new Verdict(p + " may only view streams");
        }
        if (p.grant().mayControlAny()) {
            return Verdict.ALLOWED;
        }
        Optional<StreamDefinition> def = definition(stream);
        if (def.isPresent()) {
            if (def.get().managed() || def.get().replayName()) {
                // a replayed recording's name is the coordinator's too: its record is the segments'
                return new Verdict("stream " + stream + " is managed by the coordinator; controlling it needs an admin token");
            }
            return def.get().owner().equals(p.clientId()) ? Verdict.ALLOWED
                    : new Verdict("stream " + stream + " is registered to another client");
        }
        String holder = claims.compute(stream, (k, old) ->
                old == null || old.equals(p.clientId()) || states.find(stream).isEmpty() ? p.clientId() : old);
        if (claims.size() > maxEntries) {
            claims.keySet().removeIf(s -> states.find(s).isEmpty()); // claims of dropped state
        }
        return holder.equals(p.clientId()) ? Verdict.ALLOWED
                : new Verdict("stream " + stream + " is in use by another client on this agent");
    }

    /** Subscribing: a viewer or admin any stream; others managed streams and their own. */
    Verdict view(Party p, String stream) {
        if (p.grant().mayViewAny()) {
            return Verdict.ALLOWED;
        }
        Optional<StreamDefinition> def = definition(stream);
        if (def.isPresent() && (def.get().managed() || def.get().owner().equals(p.clientId()))) {
            return Verdict.ALLOWED;
        }
        if (def.isEmpty() && p.clientId().equals(claims.get(stream)) && states.find(stream).isPresent()) {
            return Verdict.ALLOWED;
        }
        return new Verdict("viewing stream " + stream + " needs a viewer token, or being its owner");
    }

    /** The stream's state was dropped on its owner's request: anyone may claim it next. */
    void released(String stream) {
        claims.remove(stream);
    }

    private Optional<StreamDefinition> definition(String stream) {
        long now = clockMs.getAsLong();
        Memo m = memo.get(stream);
        if (m == null || now >= m.expiresMs()) {
            if (memo.size() >= maxEntries) {
                memo.clear(); // cheap to rebuild: bounds a stream of made-up ids
            }
            m = new Memo(definitions.apply(stream), now + DEFINITION_MEMO_MS);
            memo.put(stream, m);
        }
        return m.def();
    }
}
