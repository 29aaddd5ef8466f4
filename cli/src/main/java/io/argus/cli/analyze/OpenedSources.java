package io.argus.cli.analyze;

import io.argus.media.FrameSource;
import io.argus.media.Sources;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The sources of an analyze run, opened, each with a stream name of its own (the source's default
 * name, then {@code -2}, {@code -3} when two would share it), and the frames expected in all
 * ({@code -1} when a source cannot say), for the progress bar.
 */
public final class OpenedSources {
    private final List<FrameSource> opened;
    private final List<String> streamNames;
    private final long total;

    private OpenedSources(List<FrameSource> opened, List<String> streamNames, long total) {
        this.opened = opened;
        this.streamNames = streamNames;
        this.total = total;
    }

    /** Opens every source (looped with {@code loop}); if one fails, those opened are closed. */
    public static OpenedSources open(List<String> sources, boolean loop, long maxFrames) throws Exception {
        Set<String> names = new LinkedHashSet<>();
        List<FrameSource> opened = new ArrayList<>();
        List<String> streamNames = new ArrayList<>();
        long total = 0;
        try {
            for (String spec : sources) {
                FrameSource s = Sources.open(spec, loop);
                opened.add(s);
                String name = Sources.defaultStreamName(spec);
                for (int i = 2; !names.add(name); i++) {
                    name = Sources.defaultStreamName(spec) + "-" + i;
                }
                streamNames.add(name);
                long n = s.frameCount();
                total = total < 0 || n < 0 ? -1 : total + (maxFrames > 0 && (n < 0 || n > maxFrames) ? maxFrames : n);
            }
        } catch (Exception e) {
            opened.forEach(FrameSource::close);
            throw e;
        }
        return new OpenedSources(opened, streamNames, total);
    }

    public List<FrameSource> sources() {
        return opened;
    }

    public List<String> streamNames() {
        return streamNames;
    }

    /** Frames expected in all, or -1. */
    public long total() {
        return total;
    }
}
