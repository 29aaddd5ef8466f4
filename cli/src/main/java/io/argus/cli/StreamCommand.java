package io.argus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.cluster.api.CoordinatorApiException;
import io.argus.cluster.options.ZkAuthOptions;
import io.argus.cluster.options.TlsOptions;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import io.argus.cli.analyze.RecordingClock;
import io.argus.media.FrameSource;
import io.argus.media.RecordingStart;
import io.argus.media.Sources;
import io.argus.media.segment.FrameTimes;
import io.argus.media.segment.KeyframeIndex;
import io.argus.media.segment.Segment;
import io.argus.media.segment.SegmentConfig;
import io.argus.media.segment.SegmentPlan;
import io.argus.coordinator.streams.StreamService;

import java.nio.file.Files;
import java.time.Instant;
import java.util.Optional;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code argus stream add|list|rm}: managed streams, through the coordinator's API. */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Manages streams that agents pull themselves (24/7, no console needed).",
        subcommands = {StreamCommand.Add.class, StreamCommand.ListStreams.class, StreamCommand.Remove.class})
public final class StreamCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Target {
        @Option(names = "--coordinator", description = "Coordinator URL, e.g. http://host:8080.")
        @Nullable String url;

        @Option(names = "--zk", description = "ZooKeeper connect string (to find a coordinator).")
        @Nullable String zk;

        @Mixin
        TokenOptions token = new TokenOptions();

        @Mixin
        ZkAuthOptions zkAuth = new ZkAuthOptions();

        @Mixin
        TlsOptions tls = new TlsOptions();

        CoordinatorClient client() throws Exception {
            return CoordinatorClient.locate(url, zk, token.token(), tls.settings(), zkAuth.credentials());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Registers a managed stream.")
    static final class Add implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", description = "Stream name.")
        String name;

        @Option(names = "--url", required = true, description = "RTSP/HTTP URL, file path or camera:N on the agent's machine.")
        String url;

        @Option(names = "--tasks", split = ",", defaultValue = "people", description = "Tasks (default: ${DEFAULT-VALUE}).")
        List<String> tasks = new ArrayList<>();

        @Option(names = "--line", description = "Counting line NAME:x1,y1,x2,y2 (repeatable).")
        List<String> lines = new ArrayList<>();

        @Option(names = "--zone", description = "Zone NAME:x1,y1,x2,y2,x3,y3,... (repeatable).")
        List<String> zones = new ArrayList<>();

        @Option(names = "--param", description = "task.key=value (repeatable).")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--loop", description = "Loop a file source.")
        boolean loop;

        @Option(names = "--recorded-at", paramLabel = "auto|none|TIME", defaultValue = RecordingClock.AUTO, description = {
                "A recording's start, which its events are dated from (plus each frame's time in the file): auto (default)",
                "reads it from the file when it is on this machine (creation_time tag, else modification time minus",
                "duration); an ISO-8601 TIME such as 2026-12-06T22:00:00Z; none (or capture): dated from when the stream is added."})
        String recordedAt = RecordingClock.AUTO;

        @Option(names = "--replay", description = {
                "Process a recorded file on this machine once, as fast as the agents go, cut at its keyframes into",
                "segments NAME.segK that the cluster's agents run at once; their events are recorded under NAME",
                "(RELIABILITY.md, \"Replayed recordings\"). stream rm NAME removes the segments."})
        boolean replay;

        @Option(names = "--parallel", paramLabel = "N|auto", defaultValue = "auto", description =
                "With --replay: workers to plan segments for; auto (default): the workers of the agents registered now that are not draining and run the tasks. "
                        + "The file is cut into equal segments, as many as the workers or a multiple of them, each at most --segment-seconds long.")
        String parallel = "auto";

        @Option(names = "--segment-seconds", defaultValue = "" + SegmentConfig.DEFAULT_SEGMENT_SECONDS,
                description = "With --replay: the longest a segment may be (default: ${DEFAULT-VALUE}); more segments than workers only when they would be longer.")
        double segmentSeconds;

        @Option(names = "--warm-up-seconds", defaultValue = "" + SegmentConfig.DEFAULT_WARM_UP_SECONDS,
                description = "With --replay: footage run before each segment, its events left to the previous one (default: ${DEFAULT-VALUE}).")
        double warmUpSeconds;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = CoordinatorClient.JSON.createObjectNode();
            String source = absoluteIfLocal(url);
            body.put("id", name).put("source", source).put("loop", loop);
            Optional<Instant> start;
            try {
                start = recordingStart(source);
            } catch (IllegalArgumentException e) {
                System.err.println("stream add: " + e.getMessage());
                return EXIT_REFUSED;
            }
            start.ifPresent(at -> body.put("recorded_at", at.toString()));
            if (replay) {
                try {
                    body.set("replay", replayPlan(source));
                } catch (IllegalArgumentException | java.io.IOException e) {
                    System.err.println("stream add: --replay: " + e.getMessage());
                    return EXIT_REFUSED;
                }
            }
            ArrayNode ts = body.putArray("tasks");
            for (String t : tasks) {
                ObjectNode task = ts.addObject().put("name", t);
                ObjectNode p = task.putObject("params");
                if (t.equals("people")) {
                    if (!lines.isEmpty()) {
                        p.put("lines", String.join(";", lines));
                    }
                    if (!zones.isEmpty()) {
                        p.put("zones", String.join(";", zones));
                    }
                }
                params.forEach((k, v) -> {
                    if (k.startsWith(t + ".")) {
                        p.put(k.substring(t.length() + 1), v);
                    }
                });
            }
            JsonNode r;
            try {
                r = target.client().call("POST", "/v1/streams", body);
            } catch (IllegalStateException e) {
                if (e.getCause() instanceof CoordinatorApiException refused && refused.status() < 500) {
                    // the coordinator's message says what is wrong and what to check; no stack trace
                    System.err.println("stream add: refused (" + refused.code() + "): " + apiMessage(refused));
                    return EXIT_REFUSED;
                }
                throw e;
            }
            System.out.println(CoordinatorClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return 0;
        }

        /**
         * {@code --parallel}: a number, or with {@code auto} the workers of every agent registered now
         * and not draining, that can run every task asked for; 1, said on stderr, when there is none.
         */
        private int replayWorkers() throws Exception {
            int n;
            if ("auto".equalsIgnoreCase(parallel)) {
                n = 0;
                JsonNode agents;
                try {
                    agents = target.client().call("GET", "/v1/agents", null);
                } catch (IllegalStateException e) {
                    throw new IllegalArgumentException("--parallel auto: cannot list the agents (" + e.getMessage()
                            + "); give --parallel N", e);
                }
                for (JsonNode agent : agents) {
                    JsonNode p = agent.path("payload");
                    Set<String> runs = new HashSet<>();
                    p.path("capabilities").forEach(c -> runs.add(c.asText()));
                    if (!p.path("draining").asBoolean(false) && runs.containsAll(tasks)) {
                        n += Math.max(0, p.path("workers").asInt(0));
                    }
                }
                if (n == 0) {
                    System.err.println("stream add: --parallel auto: no agent that runs " + String.join(",", tasks)
                            + " is registered now; planning for 1 worker (give --parallel N to plan for more)");
                }
                n = Math.max(1, Math.min(n, StreamService.MAX_REPLAY_SEGMENTS));
            } else {
                try {
                    n = Integer.parseInt(parallel);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--parallel must be a number or auto: " + parallel, e);
                }
            }
            if (n < 1 || n > StreamService.MAX_REPLAY_SEGMENTS) {
                throw new IllegalArgumentException("--parallel must be 1-" + StreamService.MAX_REPLAY_SEGMENTS + " or auto: " + n);
            }
            return n;
        }

        /**
         * The segments of {@code --replay}, cut at the file's keyframes as {@code analyze --parallel}
         * cuts them ({@link SegmentPlan}); longer ones when the file would need more than the
         * coordinator takes ({@code StreamService.MAX_REPLAY_SEGMENTS}).
         */
        private ObjectNode replayPlan(String source) throws Exception {
            if (loop || source.contains(":") || !Files.isRegularFile(Path.of(source))) {
                throw new IllegalArgumentException("needs a recorded video file on this machine, not looped: " + source);
            }
            int parallel = replayWorkers();
            KeyframeIndex index = KeyframeIndex.read(source);
            // the agents seek each segment by frame number: only exact where frames are evenly spaced
            FrameTimes.checkEvenlySpaced(source, FrameTimes.read(source), index.frameRate());
            double seconds = segmentSeconds;
            List<Segment> plan = SegmentPlan.plan(index, SegmentConfig.builder().segmentSeconds(seconds)
                    .warmUpSeconds(warmUpSeconds).build(), parallel);
            while (plan.size() > StreamService.MAX_REPLAY_SEGMENTS) {
                seconds *= 2;
                plan = SegmentPlan.plan(index, SegmentConfig.builder().segmentSeconds(seconds).warmUpSeconds(warmUpSeconds).build(),
                        parallel);
            }
            ObjectNode r = CoordinatorClient.JSON.createObjectNode();
            ArrayNode segments = r.putArray("segments");
            for (Segment g : plan) {
                segments.addObject().put("warm_up_start", g.warmUpStart()).put("start", g.start()).put("end", g.end());
            }
            System.err.println("stream add: " + source + ": " + plan.size() + " segment(s), " + name + StreamService.SEGMENT_SUFFIX
                    + "0.." + (plan.size() - 1) + ", recorded under " + name);
            return r;
        }

        /**
         * {@code --recorded-at}: none; a given time; or, for auto, the start of a file on this machine that
         * does not loop (said on stderr), nothing for anything else.
         */
        private Optional<Instant> recordingStart(String source) throws Exception {
            if (recordedAt.equalsIgnoreCase("none") || recordedAt.equalsIgnoreCase(RecordingClock.CAPTURE)) {
                return Optional.empty();
            }
            if (!recordedAt.equalsIgnoreCase(RecordingClock.AUTO)) {
                return Optional.of(RecordingClock.parse(recordedAt).given()
                        .orElseThrow(() -> new IllegalArgumentException("--recorded-at must be auto, none or an ISO-8601 time")));
            }
            if (loop || source.contains(":") || !Files.isRegularFile(Path.of(source))) {
                return Optional.empty(); // live, looping, or on the agent's machine only: dated from when it is added
            }
            try (FrameSource src = Sources.open(source, false)) {
                Optional<RecordingStart> start = RecordingStart.of(src, source);
                if (start.isPresent() && !plausible(start.get().at())) {
                    // a camera whose clock was never set, or a file touched later: not asked for, so not refused
                    System.err.println("stream add: " + source + ": its start, " + start.get().at() + " (" + start.get().origin()
                            + "), is not a plausible time; events dated from when it is added (--recorded-at sets it)");
                    return Optional.empty();
                }
                start.ifPresent(s -> System.err.println("stream add: " + source + ": events dated from " + s.at() + " ("
                        + s.origin() + "; --recorded-at sets it)"));
                return start.map(RecordingStart::at);
            } catch (java.io.IOException e) {
                return Optional.empty(); // not video here: the coordinator and the agent say what is wrong
            }
        }
    }

    /** After 1970 and not ahead of this machine's clock by more than the coordinator allows. */
    static boolean plausible(Instant at) {
        return at.getEpochSecond() > 0
                && at.toEpochMilli() * 1000 <= System.currentTimeMillis() * 1000 + StreamService.MAX_RECORDED_AT_AHEAD_US;
    }

    /** Exit code of {@code stream add} when the coordinator refuses the stream (bad input). */
    static final int EXIT_REFUSED = 2;

    /** The coordinator's message without the status and code, which are printed apart. */
    static String apiMessage(CoordinatorApiException e) {
        String m = String.valueOf(e.getMessage());
        String prefix = e.status() + " " + e.code() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    /**
     * A relative path that exists here, made absolute (the cluster's source policy accepts files by
     * absolute path only, and an agent's working directory is not the caller's).
     */
    static String absoluteIfLocal(String source) {
        if (source.contains(":")) {
            return source; // a URL or camera:N
        }
        Path p = Path.of(source);
        return !p.isAbsolute() && Files.exists(p) ? p.toAbsolutePath().normalize().toString() : source;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists streams with their agents.")
    static final class ListStreams implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            JsonNode r = target.client().call("GET", "/v1/streams", null);
            System.out.print(table(r, System.currentTimeMillis()));
            return 0;
        }
    }

    /**
     * The streams of {@code GET /v1/streams} as {@code stream list} prints them: one line each with the
     * managed stream's state ({@code -} for a client's stream), and under a stream that is retrying or
     * failed, its last error and when the agent tries again.
     */
    static String table(JsonNode streams, long nowMs) {
        StringBuilder out = new StringBuilder();
        String row = "%-24s %-8s %-9s %-20s %-12s %s%n";
        out.append(String.format(row, "STREAM", "KIND", "STATE", "AGENT", "TASKS", "SOURCE"));
        for (JsonNode s : streams) {
            List<String> tasks = new ArrayList<>();
            s.path("tasks").forEach(t -> tasks.add(t.path("name").asText()));
            out.append(String.format(row, s.path("id").asText(), s.path("kind").asText(), s.path("state").asText("-"),
                    s.path("agent").asText("-"), String.join(",", tasks), s.path("source").asText("")));
            JsonNode replay = s.path("replay");
            if (replay.isObject()) {
                out.append("    replay of ").append(replay.path("recording").asText()).append(": segment ")
                        .append(replay.path("index").asInt() + 1).append(" of ").append(replay.path("count").asInt())
                        .append(", frames ").append(replay.path("start").asLong()).append("-").append(replay.path("end").asLong() - 1)
                        .append(" (warm-up from ").append(replay.path("warmUpStart").asLong()).append(")")
                        .append(System.lineSeparator());
            }
            String detail = s.path("state_detail").isTextual() ? s.path("state_detail").asText() : "";
            if (!detail.isEmpty()) {
                out.append("    ").append(detail).append(System.lineSeparator());
            }
            String error = s.path("last_error").asText("");
            if (!error.isEmpty() && !s.path("last_error").isNull()) {
                StringBuilder why = new StringBuilder("    last error: ").append(error);
                if (s.path("failures").asInt(0) > 0) {
                    why.append(" (").append(s.path("failures").asInt()).append(" failures in a row)");
                }
                long next = s.path("next_attempt_at_ms").asLong(0);
                if (next > 0) {
                    why.append("; next attempt in ").append(Math.max(0, (next - nowMs + 999) / 1000)).append(" s");
                }
                out.append(why).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Removes a managed stream.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", description = "Stream name.")
        String name;

        @Override
        public Integer call() throws Exception {
            target.client().call("DELETE", "/v1/streams/" + name, null);
            System.out.println("removed " + name);
            return 0;
        }
    }
}
