package io.argus.agent.net;

import com.google.protobuf.ByteString;
import io.argus.media.image.MatScope;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.ImageData;
import io.argus.protocol.v1.Preview;
import io.argus.protocol.v1.Subscribe;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Viewers of streams processed on this agent (consoles and {@code argus watch} following managed
 * streams). Each frame's result, with a downscaled JPEG preview when the viewer asked for one, goes
 * to every subscribed channel that can take it. A channel whose send buffer is above its high-water
 * mark is skipped for that frame: a slow viewer gets the latest frame when it catches up, never a
 * growing queue.
 */
public final class ViewerHub {
    /** The streams a channel follows: one set and one close listener per channel, whatever it sends. */
    private static final AttributeKey<Set<String>> FOLLOWED = AttributeKey.valueOf("argus.viewer.streams");

    private final Map<String, Map<Channel, Subscribe>> subscribers = new ConcurrentHashMap<>();
    private final AtomicLong skipped = new AtomicLong();

    /**
     * Follows a stream on this channel; false (nothing kept) when the channel already follows
     * {@code max} streams. Subscribing again to a followed stream only replaces its preview settings.
     * Everything the channel follows is dropped when it closes.
     */
    public boolean subscribe(Channel ch, Subscribe s, int max) {
        Set<String> followed = ch.attr(FOLLOWED).get();
        if (followed == null) {
            followed = ConcurrentHashMap.newKeySet();
            ch.attr(FOLLOWED).set(followed);
            Set<String> mine = followed;
            ch.closeFuture().addListener(f -> mine.forEach(stream -> remove(ch, stream)));
        }
        if (!followed.contains(s.getStreamId()) && followed.size() >= max) {
            return false;
        }
        followed.add(s.getStreamId());
        subscribers.computeIfAbsent(s.getStreamId(), k -> new ConcurrentHashMap<>()).put(ch, s);
        if (!ch.isOpen()) {
            remove(ch, s.getStreamId()); // closed meanwhile: its listener may have run already
        }
        return true;
    }

    public void unsubscribe(Channel ch, String stream) {
        Set<String> followed = ch.attr(FOLLOWED).get();
        if (followed != null) {
            followed.remove(stream);
        }
        remove(ch, stream);
    }

    private void remove(Channel ch, String stream) {
        subscribers.computeIfPresent(stream, (k, m) -> {
            m.remove(ch);
            return m.isEmpty() ? null : m; // no entry left behind per stream id ever followed
        });
    }

    /** Streams with at least one viewer (a gauge: it must fall back when viewers leave). */
    public int followedStreams() {
        return subscribers.size();
    }

    public boolean watched(String stream) {
        Map<Channel, Subscribe> m = subscribers.get(stream);
        return m != null && !m.isEmpty();
    }

    public long skipped() {
        return skipped.get();
    }

    /** Sends one frame's result (and preview) to the stream's viewers; frame may be null (no preview). */
    public void publish(String stream, FrameResult result, @Nullable Mat frame) {
        Map<Channel, Subscribe> m = subscribers.get(stream);
        if (m == null || m.isEmpty()) {
            return;
        }
        Map<Integer, ImageData> previews = new HashMap<>();
        for (Map.Entry<Channel, Subscribe> e : m.entrySet()) {
            Channel ch = e.getKey();
            if (!ch.isActive()) {
                continue;
            }
            if (!ch.isWritable()) {
                skipped.incrementAndGet();
                continue;
            }
            Preview.Builder p = Preview.newBuilder().setStreamId(stream).setResult(result);
            int width = e.getValue().getPreviewMaxWidth();
            if (width > 0 && frame != null) {
                int q = e.getValue().getPreviewQuality() > 0 ? Math.min(100, e.getValue().getPreviewQuality()) : 70;
                p.setImage(previews.computeIfAbsent(width * 1000 + q, k -> preview(frame, width, q)));
            }
            ch.writeAndFlush(Envelope.newBuilder().setPreview(p).build());
        }
    }

    static ImageData preview(Mat frame, int maxWidth, int quality) {
        try (MatScope s = new MatScope()) {
            Mat img = frame;
            if (frame.cols() > maxWidth) {
                img = s.add(new Mat());
                double k = (double) maxWidth / frame.cols();
                Imgproc.resize(frame, img, new Size(maxWidth, Math.max(1, Math.round(frame.rows() * k))), 0, 0,
                        Imgproc.INTER_AREA);
            }
            MatOfByte out = s.add(new MatOfByte());
            MatOfInt params = s.add(new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality));
            Imgcodecs.imencode(".jpg", img, out, params);
            return ImageData.newBuilder().setName("preview").setEncoding(Encoding.JPEG)
                    .setData(ByteString.copyFrom(out.toArray())).setWidth(img.cols()).setHeight(img.rows()).build();
        }
    }
}
