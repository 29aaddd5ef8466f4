package io.argus.protocol.cluster;

import org.jspecify.annotations.Nullable;

/**
 * The ZooKeeper layout of an Argus cluster. Everything lives under one root (default
 * {@code /argus}) so that one ensemble can host several clusters and so that one ACL covers it.
 *
 * <pre>
 * /argus/agents/node-agent/{agentId}   ephemeral, Curator service discovery (JSON AgentPayload)
 * /argus/streams/{streamId}            persistent, stream registration (JSON)
 * /argus/assignments/{streamId}        persistent, the agent id that owns the stream
 * /argus/config/streams/{streamId}     persistent, versioned stream configuration (JSON)
 * /argus/config/defaults               persistent, cluster defaults (JSON)
 * /argus/coordinator/leader            Curator LeaderLatch
 * /argus/coordinator/endpoints/{id}    ephemeral, coordinator HTTP and event endpoints
 * </pre>
 */
public final class ZkPaths {
    public static final String DEFAULT_ROOT = "/argus";
    public static final String AGENT_SERVICE = "node-agent";

    private final String root;

    public ZkPaths(String root) {
        if (!root.startsWith("/") || root.endsWith("/")) {
            throw new IllegalArgumentException("root must start with / and not end with /: " + root);
        }
        this.root = root;
    }

    public static ZkPaths defaults() {
        return new ZkPaths(DEFAULT_ROOT);
    }

    public String root() {
        return root;
    }

    /** Base path for Curator service discovery; services appear under {@code agents/node-agent}. */
    public String agents() {
        return root + "/agents";
    }

    public String streams() {
        return root + "/streams";
    }

    public String stream(String streamId) {
        return streams() + "/" + checkName(streamId);
    }

    public String assignments() {
        return root + "/assignments";
    }

    public String assignment(String streamId) {
        return assignments() + "/" + checkName(streamId);
    }

    public String streamConfigs() {
        return root + "/config/streams";
    }

    public String streamConfig(String streamId) {
        return streamConfigs() + "/" + checkName(streamId);
    }

    public String defaultsConfig() {
        return root + "/config/defaults";
    }

    /** The administrator's {@link SourcePolicy}: which sources managed streams may read. */
    public String sourcePolicy() {
        return root + "/config/sources";
    }

    public String leaderLatch() {
        return root + "/coordinator/leader";
    }

    public String coordinatorEndpoints() {
        return root + "/coordinator/endpoints";
    }

    /**
     * Stream ids become ZooKeeper node names, so they are restricted to a safe alphabet:
     * letters, digits, '.', '_', '-', at most 128 characters, and not "." or "..".
     */
    public static String checkName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid name '" + name
                    + "': use 1-128 of [A-Za-z0-9._-], not '.' or '..'");
        }
        return name;
    }

    /**
     * 1-128 of [A-Za-z0-9._-], not '.' or '..'. A loop, not {@code String.matches}: agents check
     * every frame's stream id on the event loop, and {@code matches} compiled the pattern each
     * time (1.2% of the raw frame path's allocation).
     */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > 128 || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
