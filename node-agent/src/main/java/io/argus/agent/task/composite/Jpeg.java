package io.argus.agent.task.composite;

import com.google.protobuf.ByteString;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.ImageData;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/** Encodes a composite for the result. */
final class Jpeg {
    private Jpeg() {
    }

    static ImageData encode(String name, Mat bgr, int quality) {
        MatOfByte out = new MatOfByte();
        MatOfInt q = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        try {
            Imgcodecs.imencode(".jpg", bgr, out, q);
            return ImageData.newBuilder().setName(name).setEncoding(Encoding.JPEG)
                    .setData(ByteString.copyFrom(out.toArray())).setWidth(bgr.cols()).setHeight(bgr.rows()).build();
        } finally {
            out.release();
            q.release();
        }
    }
}
