package io.argus.agent.task.text;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One piece of text followed across frames (a sign, a plate passing by). Readings are pooled:
 * the agreed text is the one read most often, ties broken by the best confidence.
 */
public final class TextTrack {
    public long id;
    public double x;
    public double y;
    public double w;
    public double h;
    public int sightings;
    public long lastSeen;
    public boolean reported;
    public boolean watched;
    /** normalised text -> {count, best confidence x 100} */
    public Map<String, double[]> readings = new LinkedHashMap<>();
    /** the original spelling of each normalised text's best reading */
    public Map<String, String> spellings = new LinkedHashMap<>();

    public TextTrack() {
    }

    void add(String text, double confidence) {
        String key = normalise(text);
        double[] v = readings.computeIfAbsent(key, k -> new double[2]);
        v[0]++;
        if (confidence > v[1]) {
            v[1] = confidence;
            spellings.put(key, text);
        }
    }

    @JsonIgnore
    public String agreed() {
        String best = null;
        double[] bv = null;
        for (Map.Entry<String, double[]> e : readings.entrySet()) {
            double[] v = e.getValue();
            if (bv == null || v[0] > bv[0] || (v[0] == bv[0] && v[1] > bv[1])) {
                best = e.getKey();
                bv = v;
            }
        }
        return best == null ? "" : spellings.getOrDefault(best, best);
    }

    @JsonIgnore
    public double agreedConfidence() {
        String a = agreed();
        double[] v = readings.get(normalise(a));
        return v == null ? 0 : v[1];
    }

    static String normalise(String s) {
        return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    }
}
