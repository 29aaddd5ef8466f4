package io.argus.cluster;

import io.argus.protocol.Names;


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
 * /argus/status/streams/{streamId}/{agentId}  ephemeral, a managed stream's state as its agent reports it
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

    /** Parent of the managed streams' reported states ({@link ManagedStatus}). */
    public String managedStatuses() {
        return root + "/status/streams";
    }

    /** The state {@code agentId} reports for the managed stream it runs (ephemeral). */
    public String managedStatus(String streamId, String agentId) {
        return managedStatuses() + "/" + checkName(streamId) + "/" + checkName(agentId);
    }

    public String leaderLatch() {
        return root + "/coordinator/leader";
    }

    public String coordinatorEndpoints() {
        return root + "/coordinator/endpoints";
    }

    /** Stream ids become ZooKeeper node names, so they use {@link Names}' safe alphabet. */
    public static String checkName(String name) {
        return Names.check(name);
    }

    /** {@link Names#isValid}. */
    public static boolean isValidName(String name) {
        return Names.isValid(name);
    }
}
