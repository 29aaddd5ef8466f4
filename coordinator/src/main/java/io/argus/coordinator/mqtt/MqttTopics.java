package io.argus.coordinator.mqtt;

/**
 * Topic names, after Frigate's layout where it fits: {@code <prefix>/events} carries every event,
 * {@code <prefix>/<stream>/...} the current state of a stream (retained), and
 * {@code <prefix>/available} says whether Argus is publishing ({@code online}/{@code offline},
 * retained, {@code offline} also as the leader's will).
 */
public final class MqttTopics {
    private final String prefix;

    public MqttTopics(String prefix) {
        this.prefix = prefix;
    }

    public String events() {
        return prefix + "/events";
    }

    public String available() {
        return prefix + "/available";
    }

    /** Crossings of {@code line} in {@code direction} on {@code stream}, all time (retained). */
    public String lineCount(String stream, String line, String direction) {
        return prefix + "/" + level(stream) + "/line/" + level(line) + "/" + level(direction);
    }

    /** People in {@code zone} of {@code stream} now (retained). */
    public String zoneOccupancy(String stream, String zone) {
        return prefix + "/" + level(stream) + "/zone/" + level(zone);
    }

    /**
     * Whether {@code agent} is up ({@code online}, {@code offline}; retained). Under
     * {@code available/}, beside the coordinator's own, so that no stream or agent name can
     * collide with a stream's topics.
     */
    public String agentAvailable(String agent) {
        return prefix + "/available/" + level(agent);
    }

    /** The agent that runs {@code stream} now, empty when none does (retained). */
    public String streamAgent(String stream) {
        return prefix + "/" + level(stream) + "/agent";
    }

    /**
     * One topic level from a name an operator chose: '/' would split it into levels, '+' and '#'
     * are wildcards a broker refuses in a published topic, and NUL is not allowed at all.
     */
    static String level(String name) {
        if (name == null || name.isEmpty()) {
            return "_";
        }
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c == '/' || c == '+' || c == '#' || c == 0 ? '_' : c);
        }
        return b.toString();
    }
}
