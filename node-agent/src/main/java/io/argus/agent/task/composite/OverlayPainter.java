package io.argus.agent.task.composite;

import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.Point;
import io.argus.protocol.v1.Polyline;
import io.argus.protocol.v1.TaskResult;
import io.argus.protocol.v1.TextLabel;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.List;

/**
 * Burns overlays (boxes with labels and track ids, polylines, text) into a BGR image, mapping
 * coordinates by a scale and an offset so that the same overlays fit a thumbnail or a tile.
 * Colours follow the console's: people amber-green, text cyan, lines from the overlay itself.
 */
public final class OverlayPainter {
    private OverlayPainter() {
    }

    public static void paint(Mat img, List<TaskResult> results, double scale, double dx, double dy) {
        for (TaskResult r : results) {
            for (Overlay o : r.getOverlaysList()) {
                paint(img, o, scale, dx, dy);
            }
        }
    }

    public static void paint(Mat img, Overlay o, double scale, double dx, double dy) {
        int thick = Math.max(1, (int) Math.round(2 * Math.min(1, scale * 1.5)));
        double font = Math.max(0.35, 0.5 * Math.min(1.5, scale * 1.3));
        switch (o.getShapeCase()) {
            case BOX -> {
                Box b = o.getBox();
                Scalar c = colour(b.getLabel());
                org.opencv.core.Point p0 = pt(b.getX(), b.getY(), scale, dx, dy);
                org.opencv.core.Point p1 = pt(b.getX() + b.getWidth(), b.getY() + b.getHeight(), scale, dx, dy);
                Imgproc.rectangle(img, p0, p1, c, thick);
                String label = b.getTrackId() > 0 ? "#" + b.getTrackId() : (b.getLabel().equals("text") ? "" : b.getLabel());
                if (!label.isEmpty()) {
                    Imgproc.putText(img, label, new org.opencv.core.Point(p0.x, Math.max(10, p0.y - 3)),
                            Imgproc.FONT_HERSHEY_SIMPLEX, font, c, 1, Imgproc.LINE_AA);
                }
            }
            case POLYLINE -> {
                Polyline p = o.getPolyline();
                List<org.opencv.core.Point> pts = new ArrayList<>();
                for (Point q : p.getPointsList()) {
                    pts.add(pt(q.getX(), q.getY(), scale, dx, dy));
                }
                if (pts.size() < 2) {
                    return;
                }
                Scalar c = p.getRgb() == 0 ? new Scalar(0, 200, 255) : rgb(p.getRgb());
                MatOfPoint mp = new MatOfPoint(pts.toArray(new org.opencv.core.Point[0]));
                try {
                    Imgproc.polylines(img, List.of(mp), p.getClosed(), c, thick + 1, Imgproc.LINE_AA);
                } finally {
                    mp.release();
                }
                if (!p.getClosed() && pts.size() == 2) {
                    // an arrow at the middle, pointing to the "in" side (positive s)
                    org.opencv.core.Point a = pts.get(0);
                    org.opencv.core.Point b = pts.get(1);
                    double mx = (a.x + b.x) / 2;
                    double my = (a.y + b.y) / 2;
                    double len = Math.hypot(b.x - a.x, b.y - a.y);
                    double nx = -(b.y - a.y) / len;
                    double ny = (b.x - a.x) / len;
                    double arrow = Math.max(12, 30 * scale);
                    Imgproc.arrowedLine(img, new org.opencv.core.Point(mx, my),
                            new org.opencv.core.Point(mx + nx * arrow, my + ny * arrow), c, thick, Imgproc.LINE_AA, 0, 0.35);
                }
                if (!p.getLabel().isEmpty()) {
                    org.opencv.core.Point at = pts.get(0);
                    Imgproc.putText(img, p.getLabel(), new org.opencv.core.Point(at.x + 4, Math.max(12, at.y + 14)),
                            Imgproc.FONT_HERSHEY_SIMPLEX, font, c, 1, Imgproc.LINE_AA);
                }
            }
            case TEXT -> {
                TextLabel t = o.getText();
                org.opencv.core.Point at = pt(t.getX(), t.getY(), scale, dx, dy);
                Imgproc.putText(img, t.getText(), new org.opencv.core.Point(at.x, Math.max(12, at.y - 4)),
                        Imgproc.FONT_HERSHEY_SIMPLEX, font, new Scalar(255, 255, 0), 1, Imgproc.LINE_AA);
            }
            default -> {
            }
        }
    }

    static org.opencv.core.Point pt(double x, double y, double scale, double dx, double dy) {
        return new org.opencv.core.Point(x * scale + dx, y * scale + dy);
    }

    static Scalar colour(String label) {
        return switch (label) {
            case "person" -> new Scalar(80, 220, 80);
            case "face" -> new Scalar(255, 120, 0);
            case "text" -> new Scalar(255, 255, 0);
            default -> new Scalar(0, 180, 255);
        };
    }

    static Scalar rgb(int rgb) {
        return new Scalar(rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff);
    }
}
