package io.argus.agent.task.people;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-maximum suppression. Besides plain IoU, a box mostly inside a stronger one is also
 * suppressed: HOG fires on a person's upper body inside the full-body box, and overlapping search
 * regions report the same person twice.
 */
public final class Nms {
    private Nms() {
    }

    public static List<Detection> suppress(List<Detection> dets, double iou) {
        List<Detection> sorted = new ArrayList<>(dets);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> keep = new ArrayList<>();
        for (Detection d : sorted) {
            boolean suppressed = false;
            for (Detection k : keep) {
                if (k.box().iou(d.box()) > iou || k.box().overlapOfSmaller(d.box()) > 0.8) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                keep.add(d);
            }
        }
        return keep;
    }
}
