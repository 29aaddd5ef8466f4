package io.argus.agent.task.text;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.task.geom.BoxF;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The text tracks of one stream (for agreement across frames and once-per-track events). */
public final class TextState {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public List<TextTrack> tracks = new ArrayList<>();
    public long nextId = 1;

    /** The track this reading belongs to: same place (boxes overlap) or the same text nearby; a new one otherwise. */
    TextTrack match(BoxF box, String text, long frame) {
        String key = TextTrack.normalise(text);
        TextTrack best = null;
        double bestScore = 0;
        for (TextTrack t : tracks) {
            BoxF tb = new BoxF(t.x, t.y, t.w, t.h);
            double overlap = tb.iou(box);
            double dist = Math.hypot(tb.cx() - box.cx(), tb.cy() - box.cy()) / Math.max(tb.h(), box.h());
            boolean sameText = !key.isEmpty() && t.readings.containsKey(key);
            double score = overlap > 0.3 ? overlap + 1 : (sameText && dist < 3 ? 1 / (1 + dist) : 0);
            if (score > bestScore) {
                bestScore = score;
                best = t;
            }
        }
        if (best == null) {
            best = new TextTrack();
            best.id = nextId++;
            tracks.add(best);
        }
        best.x = box.x();
        best.y = box.y();
        best.w = box.w();
        best.h = box.h();
        best.sightings++;
        best.lastSeen = frame;
        return best;
    }

    void forget(long frame, int afterFrames) {
        tracks.removeIf(t -> frame - t.lastSeen > afterFrames);
    }

    byte[] export() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static TextState restore(byte[] data) throws IOException {
        return JSON.readValue(data, TextState.class);
    }
}
