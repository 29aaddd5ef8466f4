package io.argus.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.cli.ArgusLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code argus eval} end to end, on files. */
class EvalCommandTest {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int eval(String... args) {
        CommandLine cl = ArgusLauncher.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "eval";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    /** The two-people case of {@link ClearMotTest}, as files, plus a line crossed by person 1. */
    @Test
    void scoresFilesAndPrintsJson(@TempDir Path tmp) throws Exception {
        Path gt = tmp.resolve("gt.txt");
        Path tr = tmp.resolve("tracks.txt");
        StringBuilder g = new StringBuilder();
        StringBuilder t = new StringBuilder();
        for (int f = 1; f <= 5; f++) {
            g.append(f).append(",1,0,0,10,10,1,1,1\n");
            g.append(f).append(",2,100,0,10,10,1,1,1\n");
            t.append(f).append(",11,").append(f == 1 ? 2 : 0).append(",0,10,10,0.9,-1,-1,-1\n");
        }
        t.append("1,21,100,0,10,10,1,-1,-1,-1\n2,21,100,0,10,10,1,-1,-1,-1\n3,22,100,0,10,10,1,-1,-1,-1\n5,22,100,0,10,10,1,-1,-1,-1\n");
        t.append("2,99,300,0,10,10,1,-1,-1,-1\n4,99,300,0,10,10,1,-1,-1,-1\n");
        Files.writeString(gt, g);
        Files.writeString(tr, t);
        int rc = eval("--gt", gt.toString(), "--tracks", tr.toString(), "--line", "v:50,-5,50,20",
                "--zone", "left:-1,-1,60,-1,60,20,-1,20", "--json");
        assertThat(rc).as(err.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertThat(j.at("/clear_mot/mota").asDouble()).isCloseTo(0.6, within(1e-4));
        assertThat(j.at("/clear_mot/num_switches").asLong()).isEqualTo(1);
        assertThat(j.at("/clear_mot/num_false_positives").asLong()).isEqualTo(2);
        assertThat(j.at("/clear_mot/num_misses").asLong()).isEqualTo(1);
        assertThat(j.at("/identity/idf1").asDouble()).isCloseTo(2.0 / 3, within(1e-4));
        assertThat(j.at("/identity/idp").asDouble()).isCloseTo(7.0 / 11, within(1e-4));
        assertThat(j.at("/identity/idr").asDouble()).isCloseTo(0.7, within(1e-4));
        assertThat(j.at("/frames/gt_frames_only").asBoolean()).isFalse();
        // nobody crosses x = 50; the left zone holds person 1 on every frame in both files
        assertThat(j.at("/lines/v/in/truth").asLong()).isZero();
        assertThat(j.at("/lines/v/in/rel_error").isNull()).isTrue();
        assertThat(j.at("/occupancy/left/mean_abs_error").asDouble()).isZero();
        // whole frame: frames 2 and 4 are off by one (false alarm on 2; on 4 a miss and a false alarm cancel)
        assertThat(j.at("/occupancy/frame/mean_abs_error").asDouble()).isCloseTo(0.2, within(1e-9));
        assertThat(err.toString()).contains("MOTA", "60.0%", "IDF1", "66.7%");
    }

    @Test
    void theSampleGroundTruthAgainstItselfIsPerfect(@TempDir Path tmp) throws Exception {
        Path gt = tmp.resolve("gt.txt");
        try (var in = getClass().getResourceAsStream("/gt/vtest-s0-300.txt")) {
            Files.copy(in, gt);
        }
        Path tr = tmp.resolve("tracks.txt");
        Files.writeString(tr, Files.readString(gt).replaceAll("(?m),1,1,1$", ",1,-1,-1,-1"));
        int rc = eval("--gt", gt.toString(), "--tracks", tr.toString(), "--line", "mid:384,0,384,576");
        assertThat(rc).as(err.toString()).isZero();
        String table = out.toString();
        assertThat(table).contains("MOTA         100.0%", "IDF1         100.0%");
        // the README's truth for this line: 7 in, 2 out
        assertThat(table).containsPattern("mid\\s+in\\s+7\\s+7\\s+0");
        assertThat(table).containsPattern("mid\\s+out\\s+2\\s+2\\s+0");
    }

    /** The dense truth's own crossings on mid are the labelled 7 in / 2 out (README of gt/). */
    @Test
    void theDenseGroundTruthCrossesMidSevenInTwoOut(@TempDir Path tmp) throws Exception {
        Path gt = tmp.resolve("gt.txt");
        try (var in = getClass().getResourceAsStream("/gt/vtest-0-300-dense.txt")) {
            Files.copy(in, gt);
        }
        Path tr = tmp.resolve("tracks.txt");
        Files.writeString(tr, Files.readString(gt).replaceAll("(?m),1,1,1$", ",1,-1,-1,-1"));
        assertThat(eval("--gt", gt.toString(), "--tracks", tr.toString(), "--line", "mid:384,0,384,576"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("mid\\s+in\\s+7\\s+7\\s+0")
                .containsPattern("mid\\s+out\\s+2\\s+2\\s+0");
    }

    @Test
    void malformedInputIsATypedErrorWithExitCodeTwo(@TempDir Path tmp) throws Exception {
        Path gt = tmp.resolve("gt.txt");
        Path tr = tmp.resolve("tracks.txt");
        Files.writeString(gt, "1,1,0,0,10,10,1,1,1\n");
        Files.writeString(tr, "1,3,0,0,10,10,0.9,-1,-1,-1\n1,4,0,zero,10,10,0.9,-1,-1,-1\n");
        assertThat(eval("--gt", gt.toString(), "--tracks", tr.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("eval: " + tr + ":2: y 'zero' is not a number");
        assertThat(out.toString()).isEmpty();
        assertThat(eval("--gt", gt.toString(), "--tracks", tr.toString(), "--line", "mid:1,2")).isEqualTo(2);
        assertThat(err.toString()).contains("--line mid:1,2: expected NAME:x1,y1,x2,y2");
    }

    @Test
    void gtFramesOnlyCanBeTurnedOff(@TempDir Path tmp) throws Exception {
        Path gt = tmp.resolve("gt.txt");
        Path tr = tmp.resolve("tracks.txt");
        Files.writeString(gt, "1,1,0,0,10,10,1,1,1\n3,1,0,0,10,10,1,1,1\n");
        Files.writeString(tr, "1,3,0,0,10,10,1,-1,-1,-1\n2,3,0,0,10,10,1,-1,-1,-1\n3,3,0,0,10,10,1,-1,-1,-1\n");
        assertThat(eval("--gt", gt.toString(), "--tracks", tr.toString(), "--json")).isZero();
        JsonNode auto = new ObjectMapper().readTree(out.toString());
        assertThat(auto.at("/frames/gt_frames_only").asBoolean()).isTrue();
        assertThat(auto.at("/clear_mot/mota").asDouble()).isEqualTo(1.0);
        assertThat(err.toString()).contains("ground-truth frames only (on by default");
        out.getBuffer().setLength(0);
        assertThat(eval("--gt", gt.toString(), "--tracks", tr.toString(), "--json", "--gt-frames-only=false")).isZero();
        JsonNode all = new ObjectMapper().readTree(out.toString());
        assertThat(all.at("/clear_mot/num_false_positives").asLong()).isEqualTo(1);
        assertThat(all.at("/clear_mot/mota").asDouble()).isEqualTo(0.5);
    }
}
