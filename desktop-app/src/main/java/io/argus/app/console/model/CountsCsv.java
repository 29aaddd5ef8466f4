package io.argus.app.console.model;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;

/**
 * Counts per minute as CSV, one column per line direction and per zone entry or exit
 * ({@code line door in}, {@code line door out}, {@code zone lawn enter}...), one row per stream and
 * minute that has any count: what a spreadsheet sums and charts without splitting cells.
 */
final class CountsCsv {
    /** What was written, for the operator's confirmation. */
    record Written(int rows, int streams, long firstMs, long lastMs) {
    }

    private CountsCsv() {
    }

    static Written write(Path file, Map<String, ? extends java.util.SortedMap<Long, Map<String, Long>>> history) throws IOException {
        TreeSet<String> columns = new TreeSet<>();
        history.values().forEach(h -> h.values().forEach(r -> columns.addAll(r.keySet())));
        int rows = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("stream,from,to");
            for (String c : columns) {
                w.write("," + CsvExport.csv(c));
            }
            w.write("\n");
            for (Map.Entry<String, ? extends java.util.SortedMap<Long, Map<String, Long>>> s : history.entrySet()) {
                for (Map.Entry<Long, Map<String, Long>> r : s.getValue().entrySet()) {
                    long start = r.getKey();
                    w.write(CsvExport.csv(s.getKey()) + "," + Instant.ofEpochMilli(start) + ","
                            + Instant.ofEpochMilli(start + CountsHistory.BUCKET_MS));
                    for (String c : columns) {
                        Long v = r.getValue().get(c);
                        w.write("," + (v == null ? 0 : v));
                    }
                    w.write("\n");
                    rows++;
                    first = Math.min(first, start);
                    last = Math.max(last, start + CountsHistory.BUCKET_MS);
                }
            }
        }
        return new Written(rows, history.size(), rows == 0 ? 0 : first, rows == 0 ? 0 : last);
    }
}
