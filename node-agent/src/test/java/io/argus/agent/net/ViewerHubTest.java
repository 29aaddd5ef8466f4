package io.argus.agent.net;

import io.argus.protocol.v1.Subscribe;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-connection subscription bound and its release on close. */
class ViewerHubTest {
    static Subscribe sub(String stream) {
        return Subscribe.newBuilder().setStreamId(stream).build();
    }

    @Test
    void aConnectionFollowsAtMostItsBoundAndEverythingIsFreedWhenItCloses() {
        ViewerHub hub = new ViewerHub();
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        assertThat(hub.subscribe(a, sub("s1"), 2)).isTrue();
        assertThat(hub.subscribe(a, sub("s2"), 2)).isTrue();
        assertThat(hub.subscribe(a, sub("s1"), 2)).as("again: replaces its settings").isTrue();
        assertThat(hub.subscribe(a, sub("s3"), 2)).isFalse();
        assertThat(hub.subscribe(b, sub("s1"), 2)).isTrue();
        assertThat(hub.followedStreams()).isEqualTo(2);
        hub.unsubscribe(a, "s2");
        assertThat(hub.followedStreams()).as("no entry left for a stream nobody follows").isEqualTo(1);
        assertThat(hub.subscribe(a, sub("s3"), 2)).as("room again").isTrue();
        a.close();
        assertThat(hub.watched("s3")).isFalse();
        assertThat(hub.watched("s1")).as("b still follows s1").isTrue();
        b.close();
        assertThat(hub.followedStreams()).isZero();
    }
}
