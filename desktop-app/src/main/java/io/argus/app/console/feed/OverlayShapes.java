package io.argus.app.console.feed;

import io.argus.client.StreamResult;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.Point;
import io.argus.protocol.v1.Polyline;
import io.argus.protocol.v1.TaskResult;

import java.util.ArrayList;
import java.util.List;

/**
 * A result's overlays as drawable {@link Shape}s in frame coordinates, with the console's label and
 * colour for each kind (people green, faces blue, text yellow), prepared off the JavaFX thread.
 */
final class OverlayShapes {
    private OverlayShapes() {
    }

    /** Overlay geometry of a result, in frame coordinates. */
    static List<Shape> shapes(StreamResult r) {
        return shapes(r.okResult());
    }

    /** The shapes of a result's overlays, in the frame's coordinates. */
    static List<Shape> shapes(FrameResult r) {
        List<Shape> out = new ArrayList<>();
        for (TaskResult t : r.getTasksList()) {
            for (Overlay o : t.getOverlaysList()) {
                switch (o.getShapeCase()) {
                    case BOX -> {
                        Box b = o.getBox();
                        String label = b.getTrackId() > 0 ? "#" + b.getTrackId() : b.getLabel().equals("text") ? "" : b.getLabel();
                        int rgb = switch (b.getLabel()) {
                            case "person" -> 0x4caf50;
                            case "face" -> 0x03a9f4;
                            case "text" -> 0xffeb3b;
                            default -> 0xff9800;
                        };
                        out.add(new Shape(Shape.Kind.BOX, new double[]{b.getX(), b.getX() + b.getWidth()},
                                new double[]{b.getY(), b.getY() + b.getHeight()},
                                b.getPredicted() ? label + " predicted" : label, rgb, b.getPredicted()));
                    }
                    case POLYLINE -> {
                        Polyline p = o.getPolyline();
                        double[] xs = new double[p.getPointsCount()];
                        double[] ys = new double[p.getPointsCount()];
                        for (int i = 0; i < xs.length; i++) {
                            Point q = p.getPoints(i);
                            xs[i] = q.getX();
                            ys[i] = q.getY();
                        }
                        out.add(new Shape(p.getClosed() ? Shape.Kind.POLYGON : Shape.Kind.LINE, xs, ys, p.getLabel(),
                                p.getRgb() == 0 ? 0xffc107 : p.getRgb()));
                    }
                    case TEXT -> out.add(new Shape(Shape.Kind.TEXT, new double[]{o.getText().getX()},
                            new double[]{o.getText().getY()}, o.getText().getText(), 0xffeb3b));
                    default -> {
                    }
                }
            }
        }
        return out;
    }
}
