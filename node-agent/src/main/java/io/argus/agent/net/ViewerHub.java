package io.argus.agent.net;

import com.google.protobuf.ByteString;
import io.argus.agent.image.MatScope;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.ImageData;
import io.argus.protocol.v1.Preview;
import io.argus.protocol.v1.Subscribe;
import io.netty.channel.Channel;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.util.Map;
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
    private final Map<String, Map<Channel, Subscribe>> subscribers = new ConcurrentHashMap<>();
    private final AtomicLong skipped = new AtomicLong();

    public void subscribe(Channel ch, Subscribe s) {
        subscribers.computeIfAbsent(s.getStreamId(), k -> new ConcurrentHashMap<>()).put(ch, s);
        ch.closeFuture().addListener(f -> unsubscribe(ch, s.getStreamId()));
    }

    public void unsubscribe(Channel ch, String stream) {
        Map<Channel, Subscribe> m = subscribers.get(stream);
        if (m != null) {
            m.remove(ch);
        }
    }

    public boolean watched(String stream) {
        Map<Channel, Subscribe> m = subscribers.get(stream);
        return m != null && !m.isEmpty();
    }

    public long skipped() {
        return skipped.get();
    }

    /** Sends one frame's result (and preview) to the stream's viewers; frame may be null (no preview). */
    public void publish(String stream, FrameResult result, Mat frame) {
        Map<Channel, Subscribe> m = subscribers.get(stream);
        if (m == null || m.isEmpty()) {
            return;
        }
        Map<Integer, ImageData> previews = new java.util.HashMap<>();
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
