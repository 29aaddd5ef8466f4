package io.argus.cli.eval;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MotReaderTest {
    static final Path NAME = Path.of("gt.txt");

    static Sequence gt(String text) throws Exception {
        return MotReader.read(new StringReader(text), NAME, MotReader.Kind.GROUND_TRUTH);
    }

    @Test
    void ignoredRowsAreDroppedButTheirFrameStaysLabelled() throws Exception {
        Sequence s = gt("""
                # comment
                1,1,10,20,30,40,1,1,1
                1,2,50,20,30,40,0,1,1

                2,2,50,20,30,40,0,1,1
                3,1.0,12,20,30,40,1,1,0.5
                """);
        assertThat(s.rows()).isEqualTo(2);
        assertThat(s.labelledFrames()).containsExactly(1, 2, 3);
        assertThat(s.frames()).containsExactly(1, 3);
        assertThat(s.tracks().get(1L)).extracting(MotBox::frame).containsExactly(1, 3);
        assertThat(s.boxes(1).get(0).foot().x()).isEqualTo(25.0);
        assertThat(s.boxes(1).get(0).foot().y()).isEqualTo(60.0);
    }

    @Test
    void trackerRowsKeepTheirScore() throws Exception {
        Sequence s = MotReader.read(new StringReader("4,7,1,2,3,4,0.25,-1,-1,-1\n"), Path.of("t.txt"), MotReader.Kind.TRACKS);
        assertThat(s.boxes(4).get(0).score()).isEqualTo(0.25);
        assertThat(s.boxes(4).get(0).id()).isEqualTo(7);
    }

    @Test
    void malformedRowsNameTheFileTheLineAndTheProblem() {
        assertThatThrownBy(() -> gt("1,1,10,20,30,40,1,1,1\n1,2,abc,20,30,40,1,1,1\n"))
                .isInstanceOf(EvalInputException.class).hasMessage("gt.txt:2: x 'abc' is not a number");
        assertThatThrownBy(() -> gt("1,1,10,20\n")).hasMessageStartingWith("gt.txt:1: expected frame,id,x,y,w,h");
        assertThatThrownBy(() -> gt("0,1,10,20,30,40,1,1,1\n")).hasMessageContaining("gt.txt:1: frame 0 out of range");
        assertThatThrownBy(() -> gt("1,1.5,10,20,30,40,1,1,1\n")).hasMessage("gt.txt:1: id '1.5' is not an integer");
        assertThatThrownBy(() -> gt("1,1,10,20,0,40,1,1,1\n")).hasMessage("gt.txt:1: box 0x40 has no area");
        assertThatThrownBy(() -> gt("1,1,10,20,30,40\n2,1,1,1,1,1\n1,1,10,20,30,40\n"))
                .hasMessage("gt.txt:3: id 1 appears twice in frame 1 (first on line 1)");
        assertThatThrownBy(() -> gt("1,1,NaN,20,30,40\n")).hasMessage("gt.txt:1: x 'NaN' is not a number");
    }

    @Test
    void tooManyIdsIsRefused() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i <= MotReader.MAX_IDS; i++) {
            s.append(1 + i / 1000).append(',').append(i).append(",0,0,1,1\n");
        }
        assertThatThrownBy(() -> gt(s.toString())).hasMessage("gt.txt:" + (MotReader.MAX_IDS + 1)
                + ": more than " + MotReader.MAX_IDS + " distinct ids (the evaluation's limit)");
    }

    @Test
    void aMissingFileIsSaidSo() {
        assertThatThrownBy(() -> MotReader.groundTruth(Path.of("/no/such/gt.txt")))
                .isInstanceOf(EvalInputException.class).hasMessage("/no/such/gt.txt: no such file");
    }
}
