package io.argus.app.console.model;

import org.jspecify.annotations.Nullable;
import io.argus.protocol.v1.Event;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The console's CSV export: counts over time and events of every stream, one row each. */
final class CsvExport {
    private CsvExport() {
    }

    static void write(Path file, List<StreamViewModel> streams) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("kind,stream,time,frame,type,line,direction,track,text,value\n");
            for (StreamViewModel vm : streams) {
                for (StreamViewModel.CountSample c : vm.samples()) {
                    w.write(String.join(",", "count", vm.getName(), Instant.ofEpochMilli(c.timeMs()).toString(), "", "",
                            "", "", "", "", "in=" + c.in() + " out=" + c.out() + " occupancy=" + c.occupancy()) + "\n");
                }
                for (Event e : vm.events()) {
                    Map<String, String> a = e.getAttributesMap();
                    w.write(String.join(",", "event", vm.getName(), Instant.ofEpochMilli(e.getTimeUs() / 1000).toString(),
                            Long.toString(e.getSourceIndex()), e.getType(), csv(a.get("line")), csv(a.get("direction")),
                            csv(a.get("track")), csv(a.get("text")), csv(e.getId())) + "\n");
                }
            }
        }
    }

    /** The events of every stream, one row each (the counts are {@link CountsCsv}'s). */
    static void writeEvents(Path file, List<StreamViewModel> streams) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("stream,time,frame,type,line,direction,zone,track,text,id\n");
            for (StreamViewModel vm : streams) {
                for (Event e : vm.events()) {
                    Map<String, String> a = e.getAttributesMap();
                    w.write(String.join(",", csv(vm.getName()), Instant.ofEpochMilli(e.getTimeUs() / 1000).toString(),
                            Long.toString(e.getSourceIndex()), csv(e.getType()), csv(a.get("line")),
                            csv(a.get("direction")), csv(a.get("zone")), csv(a.get("track")), csv(a.get("text")),
                            csv(e.getId())) + "\n");
                }
            }
        }
    }

    static String csv(@Nullable String v) {
        if (v == null) {
            return "";
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
