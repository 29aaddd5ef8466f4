package io.argus.coordinator.config;

import io.argus.cluster.ClusterJson;
import io.argus.cluster.ClusterView;
import io.argus.cluster.StreamConfig;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkPaths;
import io.argus.task.api.TaskException;
import io.argus.task.params.TaskParams;
import io.argus.task.api.people.PeopleConfig;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * Central configuration: validated with the agents' own rules, then written whole in one
 * ZooKeeper operation, so ZooKeeper never holds a half-written or invalid configuration. Writes
 * are compare-and-set on the znode version when the caller gives the version it read, so two
 * operators editing the same stream cannot silently overwrite each other.
 */
public final class ConfigService {
    private final CuratorFramework curator;
    private final ZkPaths paths;
    private final ClusterView view;

    public ConfigService(CuratorFramework curator, ZkPaths paths, ClusterView view) {
        this.curator = curator;
        this.paths = paths;
        this.view = view;
    }

    /**
     * Checks every task's parameters (with the stream's frame size when it is known). Costs time
     * in proportion to the input (bounded by {@link io.argus.task.geom.ShapeLimits}): callers run it
     * on a blocking executor, never on an event loop.
     */
    public void validate(StreamConfig config, @Nullable StreamDefinition stream) throws ConfigException {
        for (Map.Entry<String, Map<String, String>> e : config.tasks().entrySet()) {
            try {
                TaskParams.validate(e.getKey(), e.getValue());
                if (e.getKey().equals("people") && stream != null && stream.width() > 0 && stream.height() > 0) {
                    PeopleConfig.parse(e.getValue()).checkFits(stream.width(), stream.height());
                }
            } catch (TaskException ex) {
                throw new ConfigException(400, e.getKey() + ": " + ex.getMessage());
            } catch (IllegalArgumentException ex) {
                // a check that throws instead of reporting is still about the input, not a fault here
                throw new ConfigException(400, e.getKey() + ": " + ex.getMessage());
            }
        }
    }

    /**
     * Stores a stream's configuration. {@code expectedVersion} -1 writes unconditionally.
     * Returns the new version.
     */
    public int put(String streamId, StreamConfig config, int expectedVersion) throws ConfigException {
        if (!ZkPaths.isValidName(streamId)) {
            throw new ConfigException(400, "invalid stream id '" + streamId + "'");
        }
        validate(config, view.stream(streamId).orElse(null));
        return write(paths.streamConfig(streamId), config, expectedVersion);
    }

    public int putDefaults(StreamConfig config, int expectedVersion) throws ConfigException {
        validate(config, null);
        return write(paths.defaultsConfig(), config, expectedVersion);
    }

    private int write(String path, StreamConfig config, int expectedVersion) throws ConfigException {
        byte[] data = ClusterJson.write(config);
        try {
            try {
                return curator.setData().withVersion(expectedVersion).forPath(path, data).getVersion();
            } catch (KeeperException.NoNodeException e) {
                if (expectedVersion > 0) {
                    throw new ConfigException(409, "configuration was deleted meanwhile");
                }
                curator.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, data);
                return 0;
            }
        } catch (KeeperException.BadVersionException e) {
            throw new ConfigException(409, "configuration changed meanwhile (expected version " + expectedVersion
                    + "); read it again and retry");
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException(503, "ZooKeeper unavailable: " + e.getMessage());
        }
    }
}
