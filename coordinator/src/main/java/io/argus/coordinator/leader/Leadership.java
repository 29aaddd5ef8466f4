package io.argus.coordinator.leader;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Leader election among coordinators (Curator {@link LeaderLatch}) with fencing.
 *
 * <p>A coordinator acts as leader only while it holds the latch <em>and</em> its ZooKeeper
 * connection is up: on SUSPENDED it stops at once, before ZooKeeper has decided anything, because
 * another coordinator may be elected while it cannot hear about it. Writes are fenced a second
 * time in ZooKeeper itself: the assignment service writes in a transaction that checks this
 * coordinator's latch node still exists ({@link #latchPath()}), so a deposed leader's late write
 * fails instead of overwriting the new leader's.
 */
public final class Leadership implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    public interface Listener {
        void leadershipChanged(boolean acting);
    }

    private final LeaderLatch latch;
    private final String id;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean connected = true;
    private volatile boolean acting;

    public Leadership(CuratorFramework curator, String latchPath, String id) {
        this.id = id;
        this.latch = new LeaderLatch(curator, latchPath, id, LeaderLatch.CloseMode.NOTIFY_LEADER);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                update();
            }

            @Override
            public void notLeader() {
                update();
            }
        });
        ConnectionStateListener cl = (client, state) -> {
            connected = state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED;
            update();
        };
        curator.getConnectionStateListenable().addListener(cl);
    }

    public void start() throws Exception {
        latch.start();
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    private synchronized void update() {
        boolean now = connected && latch.hasLeadership();
        if (now != acting) {
            acting = now;
            log.info("coordinator {} is {}", id, now ? "the leader" : "standing by");
            for (Listener l : listeners) {
                l.leadershipChanged(now);
            }
        }
    }

    /** True while this coordinator may act as leader. */
    public boolean acting() {
        return acting && connected && latch.hasLeadership();
    }

    /** This coordinator's latch node, for fenced writes; null before it exists. */
    public String latchPath() {
        return latch.getOurPath();
    }

    /** The id of the current leader, if any. */
    public String leaderId() {
        try {
            var p = latch.getLeader();
            return p.isLeader() ? p.getId() : "";
        } catch (Exception e) {
            return "";
        }
    }

    public String id() {
        return id;
    }

    @Override
    public void close() throws IOException {
        acting = false;
        latch.close();
    }
}
