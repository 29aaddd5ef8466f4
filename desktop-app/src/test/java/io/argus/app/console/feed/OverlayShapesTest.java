package io.argus.app.console.feed;

import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the agent says of a box reaches the shape the tile draws. */
class OverlayShapesTest {
    @Test
    void aBoxTheTrackerPredictsIsAPredictedShapeAndSaysSo() {
        Box seen = Box.newBuilder().setX(10).setY(20).setWidth(30).setHeight(90).setLabel("person").setTrackId(7).build();
        Box guessed = seen.toBuilder().setTrackId(8).setPredicted(true).build();
        FrameResult r = FrameResult.newBuilder().addTasks(TaskResult.newBuilder().setTask("people")
                .addOverlays(Overlay.newBuilder().setBox(seen)).addOverlays(Overlay.newBuilder().setBox(guessed))).build();
        var shapes = OverlayShapes.shapes(r);
        assertThat(shapes).extracting(Shape::label).containsExactly("#7", "#8 predicted");
        assertThat(shapes).extracting(Shape::predicted).containsExactly(false, true);
        assertThat(shapes.get(1).xs()).containsExactly(10, 40);
    }
}
