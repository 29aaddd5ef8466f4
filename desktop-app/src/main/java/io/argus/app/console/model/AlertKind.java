package io.argus.app.console.model;

/** The conditions the console raises alerts for, each with the words for its start and its end. */
public enum AlertKind {
    OFFLINE("offline or stalled", "back"),
    DEGRADED("degraded", "recovered"),
    AGENT_LOST("agent lost", "agent back"),
    WATCH("watch-list hit", "watch-list quiet"),
    OCCUPANCY("occupancy over limit", "occupancy under limit"),
    CROSSING_RATE("crossing rate over limit", "crossing rate under limit");

    private final String started;
    private final String ended;

    AlertKind(String started, String ended) {
        this.started = started;
        this.ended = ended;
    }

    public String started() {
        return started;
    }

    public String ended() {
        return ended;
    }
}
