package io.argus.agent.task.text;

import io.argus.task.geom.BoxF;
import org.opencv.core.Rect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How {@link TextLineDetector}'s character candidates become text lines: duplicates, containers
 * and letter holes dropped, characters chained into lines by height, baseline, spacing and ink,
 * fragments of one line joined, and overlapping line boxes merged. Plain geometry on rectangles.
 */
final class TextLineGrouping {
    private TextLineGrouping() {
    }

    /**
     * Drops the same character found by both polarities or at nested levels, and sign outlines
     * or word blobs that contain characters. A region is a container when it holds two smaller
     * candidates side by side on one line (disjoint horizontally, overlapping vertically); the holes
     * of a letter (nested in each other, or stacked as in 'B') do not make it one.
     */
    @SuppressWarnings("ReferenceEquality") // skips the rectangle itself; an equal one elsewhere is a duplicate
    static List<Rect> dropDuplicatesAndContainers(List<Rect> in) {
        List<Rect> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparingDouble(Rect::area));
        List<Rect> keep = new ArrayList<>();
        for (Rect r : sorted) {
            boolean dup = false;
            for (Rect k : keep) {
                if (iou(r, k) > 0.7) {
                    dup = true;
                    break;
                }
            }
            if (dup) {
                continue;
            }
            List<Rect> inner = new ArrayList<>();
            for (Rect k : keep) {
                if (k.x >= r.x && k.y >= r.y && k.x + k.width <= r.x + r.width && k.y + k.height <= r.y + r.height
                        && k.height < r.height * 0.8) {
                    inner.add(k);
                }
            }
            if (!hasSideBySidePair(inner)) {
                keep.add(r);
            }
        }
        // the holes of letters (inside a kept, much taller letter) are not letters themselves
        List<Rect> letters = new ArrayList<>();
        for (Rect r : keep) {
            boolean hole = false;
            for (Rect k : keep) {
                if (k != r && r.x >= k.x && r.y >= k.y && r.x + r.width <= k.x + k.width
                        && r.y + r.height <= k.y + k.height && r.height < 0.8 * k.height) {
                    hole = true;
                    break;
                }
            }
            if (!hole) {
                letters.add(r);
            }
        }
        return letters;
    }

    private static boolean hasSideBySidePair(List<Rect> rs) {
        for (int i = 0; i < rs.size(); i++) {
            for (int j = i + 1; j < rs.size(); j++) {
                Rect a = rs.get(i);
                Rect b = rs.get(j);
                boolean disjointX = a.x + a.width <= b.x || b.x + b.width <= a.x;
                int overlapY = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
                if (disjointX && overlapY > 0.5 * Math.min(a.height, b.height)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Characters of one line share a height, a baseline band, spacing and the colour of their
     * ink: two candidates chain when their heights differ by less than 1.7x, their vertical extents
     * overlap by more than half with their tops or their bottoms aligned (within 30% of a height),
     * the gap between them is at most 1.2 heights, and their mean gray levels differ by less than
     * {@code MAX_TONE_DIFFERENCE}.
     */
    static final double MAX_TONE_DIFFERENCE = 45;

    static List<List<Rect>> chain(List<Rect> chars, java.util.Map<Rect, Double> tone) {
        int n = chars.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        List<Rect> byX = new ArrayList<>(chars);
        byX.sort(Comparator.comparingInt(r -> r.x));
        for (int i = 0; i < n; i++) {
            Rect a = byX.get(i);
            for (int j = i + 1; j < n; j++) {
                Rect b = byX.get(j);
                double mh = Math.max(a.height, b.height);
                if (b.x - (a.x + a.width) > 1.2 * mh) {
                    break; // sorted by x: everything further is further away
                }
                double ratio = (double) Math.max(a.height, b.height) / Math.min(a.height, b.height);
                // on a common line the vertical extents overlap: capitals, x-height letters and
                // descenders all share the band between x-height and baseline
                int overlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
                double toneDiff = Math.abs(tone.getOrDefault(a, 0.0) - tone.getOrDefault(b, 0.0));
                // letters share a top line (capitals, x-height) or a baseline
                double align = 0.3 * Math.min(a.height, b.height);
                boolean aligned = Math.abs(a.y - b.y) <= align
                        || Math.abs((a.y + a.height) - (b.y + b.height)) <= align;
                if (ratio < 1.7 && overlap >= 0.55 * Math.min(a.height, b.height) && aligned
                        && toneDiff < MAX_TONE_DIFFERENCE) {
                    union(parent, i, j);
                }
            }
        }
        java.util.Map<Integer, List<Rect>> groups = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(byX.get(i));
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * Joins fragments of one line: words split by a wide space, a tilted baseline that broke the
     * letter-to-letter alignment, or a lone letter the chain missed. Two groups join when their
     * boxes overlap vertically by more than half, have similar heights and the same ink, and lie at
     * most 1.5 heights apart.
     */
    static List<List<Rect>> joinWords(List<List<Rect>> groups, java.util.Map<Rect, Double> tone) {
        List<List<Rect>> gs = new ArrayList<>();
        for (List<Rect> g : groups) {
            gs.add(new ArrayList<>(g));
        }
        boolean merged = true;
        while (merged) {
            merged = false;
            outer:
            for (int i = 0; i < gs.size(); i++) {
                int[] a = bounds(gs.get(i));
                for (int j = i + 1; j < gs.size(); j++) {
                    if (gs.get(i).size() < 3 && gs.get(j).size() < 3) {
                        continue; // two scraps do not make a line
                    }
                    int[] b = bounds(gs.get(j));
                    int ha = a[3] - a[1];
                    int hb = b[3] - b[1];
                    int overlap = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
                    double ratio = (double) Math.max(ha, hb) / Math.max(1, Math.min(ha, hb));
                    int gap = Math.max(a[0], b[0]) - Math.min(a[2], b[2]);
                    double toneDiff = Math.abs(meanTone(gs.get(i), tone) - meanTone(gs.get(j), tone));
                    if (overlap > 0.5 * Math.min(ha, hb) && ratio < 1.5 && gap < 1.5 * Math.max(ha, hb)
                            && toneDiff < MAX_TONE_DIFFERENCE) {
                        gs.get(i).addAll(gs.remove(j));
                        merged = true;
                        break outer;
                    }
                }
            }
        }
        return gs;
    }

    private static double meanTone(List<Rect> g, java.util.Map<Rect, Double> tone) {
        double s = 0;
        for (Rect r : g) {
            s += tone.getOrDefault(r, 0.0);
        }
        return s / g.size();
    }

    /** x0, y0, x1, y1 of a group; heights use the median letter so one tall outlier does not count. */
    private static int[] bounds(List<Rect> g) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = 0;
        int y1 = 0;
        for (Rect r : g) {
            x0 = Math.min(x0, r.x);
            y0 = Math.min(y0, r.y);
            x1 = Math.max(x1, r.x + r.width);
            y1 = Math.max(y1, r.y + r.height);
        }
        return new int[]{x0, y0, x1, y1};
    }

    private static int find(int[] p, int i) {
        while (p[i] != i) {
            p[i] = p[p[i]];
            i = p[i];
        }
        return i;
    }

    private static void union(int[] p, int a, int b) {
        p[find(p, a)] = find(p, b);
    }

    static double iou(Rect a, Rect b) {
        int ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
        int iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
        double inter = (double) ix * iy;
        return inter / (a.area() + b.area() - inter);
    }

    static List<BoxF> mergeOverlapping(List<BoxF> in) {
        List<BoxF> out = new ArrayList<>(in);
        boolean merged = true;
        while (merged) {
            merged = false;
            outer:
            for (int i = 0; i < out.size(); i++) {
                for (int j = i + 1; j < out.size(); j++) {
                    BoxF a = out.get(i);
                    BoxF b = out.get(j);
                    double hr = Math.max(a.h(), b.h()) / Math.min(a.h(), b.h());
                    if (a.overlapOfSmaller(b) > 0.6 && hr < 1.8) {
                        double x0 = Math.min(a.x(), b.x());
                        double y0 = Math.min(a.y(), b.y());
                        out.set(i, new BoxF(x0, y0, Math.max(a.x() + a.w(), b.x() + b.w()) - x0,
                                Math.max(a.y() + a.h(), b.y() + b.h()) - y0));
                        out.remove(j);
                        merged = true;
                        break outer;
                    }
                }
            }
        }
        return out;
    }
}
