package io.argus.app.console.feed;

import java.util.Map;

/**
 * A stream's figures at one moment, assembled off the JavaFX thread and read by the view model on
 * each pulse.
 *
 * @param agent       the agent processing it
 * @param status      LIVE, DEGRADED (frames failing or shed), MOVING, OFFLINE, STARTING, ENDED
 * @param detail      the status in words (e.g. "moving to agent-2")
 * @param fpsIn       frames sent per second
 * @param fpsOut      results per second
 * @param p50Ms       capture-to-overlay latency percentiles over the last few seconds
 * @param p95Ms       ...
 * @param p99Ms       ...
 * @param dropped     frames dropped since the start (live sources that could not keep up)
 * @param failed      frames that failed
 * @param lines       line -> {in, out}
 * @param zones       zone -> occupancy
 * @param visible     people in view
 * @param configVersion configuration version the last result was computed with
 * @param shedding  the agent is shedding this stream's load (frames refused as OVERLOADED, results
 *                  flagged degraded, or the client thinning the stream)
 */
public record FeedSnapshot(String agent, String status, String detail, double fpsIn, double fpsOut, double p50Ms,
                           double p95Ms, double p99Ms, long dropped, long failed, Map<String, long[]> lines,
                           Map<String, Integer> zones, int visible, long configVersion, boolean shedding) {
    public static final FeedSnapshot STARTING = new FeedSnapshot("", "STARTING", "starting", 0, 0, 0, 0, 0, 0, 0,
            Map.of(), Map.of(), 0, 0, false);

    /** The same figures with another status and detail (the feed's view of the moment). */
    public FeedSnapshot withStatus(String newStatus, String newDetail) {
        return new FeedSnapshot(agent, newStatus, newDetail, fpsIn, fpsOut, p50Ms, p95Ms, p99Ms, dropped, failed, lines,
                zones, visible, configVersion, shedding);
    }
}
