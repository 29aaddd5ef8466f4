package io.argus.cli.analyze;

import io.argus.client.ArgusClient;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.media.FfmpegSource;
import io.argus.media.FrameSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a run may have the agents read its file ({@code --encoding file}, {@link FileFrames}),
 * answered before the first frame: a refusal here is one clear line, where the agents would refuse
 * every frame ({@code PERMISSION_DENIED}) one by one.
 */
public final class AgentsReadFile {
    private AgentsReadFile() {
    }

    /**
     * Why this run's file cannot be read by the agents, or empty when it can.
     *
     * @param embedded the run's own cluster: its policy is widened to the file's folder (the agents
     *                 are this process's, and read what its user can read)
     */
    public static Optional<String> check(ArgusClient client, List<String> sources, List<FrameSource> opened, boolean loop,
                                         boolean composes, boolean embedded) throws Exception {
        if (sources.size() != 1 || opened.size() != 1 || opened.get(0).live() || opened.get(0).stills()
                || opened.get(0).frameCount() <= 0) {
            return Optional.of("the agents read one recorded video file; give exactly one as --source");
        }
        if (loop || composes) {
            return Optional.of("cannot be combined with --loop, mosaic or stitch");
        }
        Path real;
        try {
            real = Path.of(sources.get(0)).toRealPath();
        } catch (IOException e) {
            return Optional.of("cannot resolve " + sources.get(0) + ": " + e.getMessage());
        }
        try (FfmpegSource recording = FfmpegSource.recording(real)) {
            // what the agents will open it with: a format they refuse is said here, once
            recording.frameRate();
        } catch (IOException e) {
            return Optional.of("the agents read only recorded video in the containers FFmpeg reads as such ("
                    + FfmpegSource.RECORDING_FORMATS + "): " + e.getMessage());
        }
        if (embedded) {
            Path folder = Objects.requireNonNull(real.getParent(), "a file's folder");
            SourcePolicies.write(client.curator(), client.paths(),
                    SourcePolicies.read(client.curator(), client.paths()).withMediaRoot(folder).withClientFiles(true));
            return Optional.empty();
        }
        SourcePolicy policy;
        try {
            policy = SourcePolicies.read(client.curator(), client.paths());
        } catch (IllegalStateException e) {
            return Optional.empty(); // not readable with this client's credentials: the agents judge each frame
        }
        if (!policy.clientFiles()) {
            return Optional.of("this cluster does not let clients have its agents read files (its administrator "
                    + "allows it with bin/argus sources --set --client-files ...)");
        }
        return policy.checkOpen(real.toString(), real)
                .map(why -> why + " (the agents read only files under the cluster's media roots: bin/argus sources)");
    }
}
