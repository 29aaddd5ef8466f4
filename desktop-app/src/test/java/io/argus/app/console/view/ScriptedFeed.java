package io.argus.app.console.view;

import io.argus.app.console.feed.Feed;
import io.argus.app.console.feed.FeedSnapshot;
import io.argus.app.console.feed.FramePicture;
import io.argus.app.console.feed.SourceSpec;
import io.argus.protocol.v1.Event;
import org.jspecify.annotations.Nullable;

import java.util.List;

/** A feed whose pictures and figures a test sets, so that a tile can be shown exactly what a case needs. */
final class ScriptedFeed implements Feed {
    private final SourceSpec spec;
    volatile @Nullable FramePicture picture;
    volatile FeedSnapshot snapshot = FeedSnapshot.STARTING;

    ScriptedFeed(String name) {
        this.spec = new SourceSpec(name, "scripted", false, List.of());
    }

    /** A grey picture of {@code w}x{@code h}. */
    static int[] grey(int w, int h) {
        int[] px = new int[w * h];
        java.util.Arrays.fill(px, 0xff404040);
        return px;
    }

    @Override
    public SourceSpec spec() {
        return spec;
    }

    @Override
    public @Nullable FramePicture latestLive() {
        return picture;
    }

    @Override
    public @Nullable FramePicture latestAligned() {
        return picture;
    }

    @Override
    public FeedSnapshot refresh() {
        return snapshot;
    }

    @Override
    public List<Event> drainNewEvents() {
        return List.of();
    }

    @Override
    public void close() {
    }
}
