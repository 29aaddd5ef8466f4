package io.argus.client;

import io.argus.cluster.ClusterJson;
import io.argus.cluster.StreamDefinition;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;

import java.util.ArrayList;
import java.util.List;

/**
 * A client-fed stream's registration under {@code /argus/streams/{id}}: an ephemeral node (it
 * vanishes with this client), so that the coordinator assigns the stream and operators see it.
 */
final class StreamRegistration {
    private StreamRegistration() {
    }

    /** Registers the stream; refuses the name of a managed stream (pulled by an agent). */
    static PersistentNode register(ArgusClient client, StreamSpec spec) {
        var existing = client.view().stream(spec.streamId());
        if (existing.isPresent() && (existing.get().managed() || existing.get().replayName())) {
            throw new IllegalArgumentException("stream '" + spec.streamId() + "' is a managed stream (pulled by an agent); "
                    + "choose another name to send frames yourself");
        }
        List<StreamDefinition.TaskSpec> tasks = new ArrayList<>();
        for (var t : spec.tasks()) {
            tasks.add(new StreamDefinition.TaskSpec(t.getName(), t.getParamsMap()));
        }
        var def = new StreamDefinition(spec.streamId(), client.clientId(), StreamDefinition.CLIENT, tasks, null, false,
                System.currentTimeMillis(), 0, 0);
        var node = new PersistentNode(client.curator(), CreateMode.EPHEMERAL, false, client.paths().stream(spec.streamId()),
                ClusterJson.write(def));
        node.start();
        return node;
    }
}
