package io.argus.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Weighted rendezvous (highest random weight) hashing.
 *
 * <p>For a key and each candidate, {@code score = weight / -ln(u)} where {@code u} in (0,1) is a
 * hash of (key, candidate id). The candidate with the highest score wins. This is the logarithmic
 * method of Schindelhauer and Schomaker: a candidate wins a share of keys proportional to its
 * weight, and when a candidate joins or leaves only the keys it wins or held move (about 1/N).
 *
 * <p>The hash is FNV-1a 64 over the UTF-8 bytes of {@code key + '\0' + id}, finished with the
 * SplitMix64 mixer; it is fixed so that clients and the coordinator, in any JVM, agree.
 */
public final class Rendezvous {
    private Rendezvous() {
    }

    public static <T> Optional<T> pick(String key, Collection<T> candidates, Function<T, String> id,
                                       ToDoubleFunction<T> weight) {
        T best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        String bestId = null;
        for (T c : candidates) {
            String cid = id.apply(c);
            double s = score(key, cid, weight.applyAsDouble(c));
            if (s > bestScore || (s == bestScore && bestId != null && cid.compareTo(bestId) < 0)) {
                best = c;
                bestScore = s;
                bestId = cid;
            }
        }
        return Optional.ofNullable(best);
    }

    /** All candidates, best first: the order a client fails over in. */
    public static <T> List<T> rank(String key, Collection<T> candidates, Function<T, String> id,
                                   ToDoubleFunction<T> weight) {
        List<T> ranked = new ArrayList<>(candidates);
        ranked.sort(Comparator.<T>comparingDouble(c -> -score(key, id.apply(c), weight.applyAsDouble(c)))
                .thenComparing(id));
        return ranked;
    }

    public static Optional<AgentInfo> pickAgent(String streamId, Collection<AgentInfo> agents) {
        return pick(streamId, agents, AgentInfo::id, AgentInfo::weight);
    }

    public static List<AgentInfo> rankAgents(String streamId, Collection<AgentInfo> agents) {
        return rank(streamId, agents, AgentInfo::id, AgentInfo::weight);
    }

    public static double score(String key, String candidateId, double weight) {
        if (!(weight > 0)) {
            return Double.NEGATIVE_INFINITY;
        }
        long h = hash(key, candidateId);
        // 53 high bits -> (0,1); never 0 so that ln is finite
        double u = ((h >>> 11) + 0.5) / (double) (1L << 53);
        return weight / -Math.log(u);
    }

    static long hash(String key, String candidateId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= 0;
        h *= 0x100000001b3L;
        for (byte b : candidateId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h += 0x9e3779b97f4a7c15L;
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
