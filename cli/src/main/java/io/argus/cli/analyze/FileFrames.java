package io.argus.cli.analyze;

import io.argus.media.segment.KeyframeIndex;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Image;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code analyze --encoding file}: the agents read each frame of the recording themselves
 * ({@code FILE_FRAME}, protocol/README.md), and this process sends only the file's path and the
 * frame's number, so it neither decodes nor encodes. The agents must see the file at the same path
 * (the same machine, or shared storage) and the cluster's source policy must allow it.
 *
 * @param path  the recording's real path (links resolved: what the agents check against their media roots)
 * @param index the file's packets, read without decoding: its frame count, and the keyframes that
 *              {@code --parallel} cuts at (read once for both)
 */
public record FileFrames(String path, KeyframeIndex index) {

    public static FileFrames of(String source) throws IOException {
        String real = Path.of(source).toRealPath().toString();
        return new FileFrames(real, KeyframeIndex.read(real));
    }

    /** Frames in the file. */
    public long frames() {
        return index.frames();
    }

    /** Every frame's image: the same small message, only the request's frame number changes. */
    public Image image() {
        return Image.newBuilder().setEncoding(Encoding.FILE_FRAME).setFile(path).build();
    }
}
