package io.argus.protocol;

import com.google.protobuf.ByteString;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.ImageData;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResultMergerTest {

    private static Overlay box(String label) {
        return Overlay.newBuilder().setBox(Box.newBuilder().setLabel(label).setWidth(1).setHeight(1)).build();
    }

    @Test
    void mapsAreMergedImagesOverlaysAndEventsConcatenated() {
        TaskResult faces = TaskResult.newBuilder().setTask("faces").setStatus(Code.OK)
                .putNumbers("faces.count", 2).putStrings("shared", "from-faces")
                .addOverlays(box("face")).addOverlays(box("face"))
                .addImages(ImageData.newBuilder().setName("a").setData(ByteString.copyFromUtf8("x"))).build();
        TaskResult color = TaskResult.newBuilder().setTask("color").setStatus(Code.OK)
                .putStrings("color.0", "#ff0000").putStrings("shared", "from-color")
                .putNumbers("color.0.fraction", 0.5)
                .addOverlays(box("swatch"))
                .addImages(ImageData.newBuilder().setName("b"))
                .addEvents(Event.newBuilder().setId("e1")).build();
        TaskResult merged = ResultMerger.merge(List.of(faces, color));
        assertThat(merged.getTask()).isEqualTo("faces,color");
        assertThat(merged.getStatus()).isEqualTo(Code.OK);
        assertThat(merged.getNumbersMap()).containsEntry("faces.count", 2.0).containsEntry("color.0.fraction", 0.5);
        assertThat(merged.getStringsMap()).containsEntry("color.0", "#ff0000").containsEntry("shared", "from-faces");
        assertThat(merged.getOverlaysList()).extracting(o -> o.getBox().getLabel())
                .containsExactly("face", "face", "swatch");
        assertThat(merged.getImagesList()).extracting(ImageData::getName).containsExactly("a", "b");
        assertThat(merged.getEventsList()).extracting(Event::getId).containsExactly("e1");
    }

    @Test
    void firstFailedStatusWins() {
        TaskResult ok = TaskResult.newBuilder().setTask("color").setStatus(Code.OK).build();
        TaskResult bad = TaskResult.newBuilder().setTask("text").setStatus(Code.IMAGE_DECODE_FAILED)
                .setMessage("corrupt").build();
        TaskResult worse = TaskResult.newBuilder().setTask("faces").setStatus(Code.INTERNAL).setMessage("boom").build();
        TaskResult merged = ResultMerger.merge(List.of(ok, bad, worse));
        assertThat(merged.getStatus()).isEqualTo(Code.IMAGE_DECODE_FAILED);
        assertThat(merged.getMessage()).isEqualTo("corrupt");
        assertThat(ResultMerger.merge(List.of(ok)).getStatus()).isEqualTo(Code.OK);
        assertThat(ResultMerger.merge(List.of()).getStatus()).isEqualTo(Code.OK);
    }

    @Test
    void framesFromSeveralAgentsMergeIntoOne() {
        FrameResult a = FrameResult.newBuilder().setStreamId("s").setSequence(3).setAgentId("a1")
                .setWidth(10).setHeight(20).addTasks(TaskResult.newBuilder().setTask("faces")).build();
        FrameResult b = FrameResult.newBuilder().setStreamId("s").setSequence(3).setAgentId("a2").setDegraded(true)
                .addTasks(TaskResult.newBuilder().setTask("color").setStatus(Code.TIMEOUT)).build();
        FrameResult m = ResultMerger.mergeFrames(List.of(a, b));
        assertThat(m.getAgentId()).isEqualTo("a1,a2");
        assertThat(m.getTasksList()).extracting(TaskResult::getTask).containsExactly("faces", "color");
        assertThat(m.getWidth()).isEqualTo(10);
        assertThat(m.getDegraded()).isTrue();
        assertThat(ResultMerger.firstFailure(m)).isEqualTo(Code.TIMEOUT);
    }
}
