package io.argus.app.console.model;

import io.argus.task.api.people.CountingLine;
import io.argus.task.geom.Pt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The line and zone editor without a UI: what a press, drag and release on a 768x576 picture make
 * of the draft, what Apply writes (all lines and zones, the untouched ones as they were), and what
 * it refuses with the task's own words. The writes go to a map here; the same editor against a real
 * coordinator and agent, driven by the mouse, is {@code GeometryEditingUiTest}'s.
 */
class GeometryEditorTest {
    static final double TOL = 6;
    final Map<String, Geometry> written = new HashMap<>();
    Geometry active;
    GeometryEditor editor;

    @BeforeEach
    void setUp() throws Exception {
        active = Geometry.parse("door:384,0,384,576;road:0,300,768,300", "lawn:0,330,420,330,420,575,0,575");
        editor = new GeometryEditor(s -> active, (s, g) -> {
            written.put(s, g);
            active = g;
            return CompletableFuture.completedFuture(true);
        });
        editor.frameSize(768, 576);
        editor.load("lobby");
    }

    @Test
    void theDraftIsExactlyWhatIsActiveUntilEdited() {
        assertThat(editor.draftProperty().get()).isEqualTo(active);
        assertThat(editor.dirtyProperty().get()).isFalse();
        assertThat(editor.messageProperty().get()).isEqualTo("2 line(s), 1 zone(s) active");
    }

    @Test
    void aDrawnLineIsNamedSelectedAndAppliedWithTheOthersUnchanged() {
        editor.toolProperty().set(GeometryEditor.Tool.LINE);
        editor.press(new Pt(100, 100), TOL, false);
        editor.drag(new Pt(100, 300));
        assertThat(editor.pendingProperty().get()).containsExactly(new Pt(100, 100), new Pt(100, 300));
        editor.release(new Pt(100, 500));
        assertThat(editor.pendingProperty().get()).isEmpty();
        assertThat(editor.selectedProperty().get()).isEqualTo(new GeometryEditor.Selection(GeometryEditor.Kind.LINE, "line1"));
        assertThat(editor.dirtyProperty().get()).isTrue();
        assertThat(editor.rename("exit")).isTrue();
        editor.reverse();
        editor.apply(Runnable::run).join();
        Geometry g = written.get("lobby");
        assertThat(g.linesSpec()).isEqualTo("door:384,0,384,576;road:0,300,768,300;exit:100,500,100,100");
        assertThat(g.zonesSpec()).isEqualTo("lawn:0,330,420,330,420,575,0,575");
        assertThat(editor.dirtyProperty().get()).isFalse();
        assertThat(editor.messageProperty().get()).startsWith("applied: 3 line(s), 1 zone(s)");
    }

    @Test
    void whereLinesCrossTheSelectedOneIsGrabbed() throws Exception {
        active = Geometry.parse("door:384,0,384,576;road:0,300,768,300", "");
        editor.load("lobby");
        editor.press(new Pt(388, 301), TOL, false);
        editor.release(new Pt(388, 301));
        assertThat(editor.selectedProperty().get().name()).as("the nearer body").isEqualTo("road");
        editor.press(new Pt(384, 100), TOL, false);
        editor.release(new Pt(384, 100));
        editor.press(new Pt(385, 300), TOL, false);
        assertThat(editor.selectedProperty().get().name()).as("the selected one, where they cross").isEqualTo("door");
    }

    @Test
    void withoutACoordinatorItSaysTheStreamRestarted() {
        editor = new GeometryEditor(s -> active, (s, g) -> CompletableFuture.completedFuture(false));
        editor.load("lobby");
        editor.press(new Pt(200, 300), TOL, false);
        editor.release(new Pt(200, 300));
        editor.delete();
        editor.apply(Runnable::run).join();
        assertThat(editor.messageProperty().get())
                .isEqualTo("applied: 1 line(s), 1 zone(s) active (no coordinator: the stream restarted, its counts begin again)");
    }

    @Test
    void aClickIsNotALine() {
        editor.toolProperty().set(GeometryEditor.Tool.LINE);
        editor.press(new Pt(100, 100), TOL, false);
        editor.release(new Pt(103, 102));
        assertThat(editor.draftProperty().get()).isEqualTo(active);
        assertThat(editor.messageProperty().get()).contains("drag further");
    }

    @Test
    void endsCornersAndWholeShapesMoveAndStayInThePicture() {
        // the end of door at the top
        editor.press(new Pt(386, 3), TOL, false);
        editor.drag(new Pt(300, 10));
        editor.release(new Pt(300, 10));
        assertThat(line("door")).isEqualTo(new CountingLine("door", new Pt(300, 10), new Pt(384, 576)));
        // road by its middle, 50 down: both ends move
        editor.press(new Pt(600, 301), TOL, false);
        editor.drag(new Pt(600, 351));
        editor.release(new Pt(600, 351));
        assertThat(line("road")).isEqualTo(new CountingLine("road", new Pt(0, 350), new Pt(768, 350)));
        // lawn grabbed inside and pushed far down: it stops at the bottom edge with its shape
        editor.press(new Pt(100, 400), TOL, false);
        editor.drag(new Pt(100, 900));
        editor.release(new Pt(100, 900));
        assertThat(editor.draftProperty().get().zonesSpec()).isEqualTo("lawn:0,331,420,331,420,576,0,576");
        // a corner dragged out of the picture is kept on its edge
        editor.press(new Pt(420, 331), TOL, false);
        editor.drag(new Pt(2000, 200));
        editor.release(new Pt(2000, 200));
        assertThat(editor.draftProperty().get().zonesSpec()).isEqualTo("lawn:0,331,768,200,420,576,0,576");
    }

    @Test
    void aZoneClosesOnItsFirstCornerOrADoubleClick() {
        editor.toolProperty().set(GeometryEditor.Tool.ZONE);
        editor.press(new Pt(500, 50), TOL, false);
        editor.press(new Pt(700, 50), TOL, false);
        editor.press(new Pt(700, 200), TOL, false);
        assertThat(editor.pendingProperty().get()).hasSize(3);
        editor.press(new Pt(502, 52), TOL, false); // on the first corner: closed
        assertThat(editor.pendingProperty().get()).isEmpty();
        assertThat(editor.draftProperty().get().zonesSpec()).endsWith(";zone1:500,50,700,50,700,200");
        assertThat(editor.selectedProperty().get()).isEqualTo(new GeometryEditor.Selection(GeometryEditor.Kind.ZONE, "zone1"));

        editor.press(new Pt(500, 250), TOL, false);
        editor.press(new Pt(700, 250), TOL, false);
        editor.press(new Pt(600, 290), TOL, false);
        editor.press(new Pt(600, 290), TOL, true); // the double click's second press
        assertThat(editor.draftProperty().get().zonesSpec()).endsWith(";zone2:500,250,700,250,600,290");
    }

    @Test
    void aSelfCrossingZoneIsRefusedInTheTasksWords() {
        editor.toolProperty().set(GeometryEditor.Tool.ZONE);
        for (Pt p : List.of(new Pt(500, 50), new Pt(700, 200), new Pt(700, 50), new Pt(500, 200))) {
            editor.press(p, TOL, false);
        }
        editor.press(new Pt(500, 50), TOL, false);
        assertThat(editor.messageProperty().get()).isEqualTo("not a zone: zone 'zone1' intersects itself");
        assertThat(editor.draftProperty().get().zones()).hasSize(1);
    }

    @Test
    void renameRefusesTakenAndInvalidNames() {
        editor.press(new Pt(200, 300), TOL, false); // road's body
        editor.release(new Pt(200, 300));
        assertThat(editor.rename("door")).isFalse();
        assertThat(editor.messageProperty().get()).isEqualTo("there is already a line called door");
        assertThat(editor.rename("a b")).isFalse();
        assertThat(editor.messageProperty().get()).contains("is not a name");
        assertThat(editor.rename("lawn")).as("a zone's name is another kind").isTrue();
    }

    @Test
    void deleteAndRevert() {
        editor.press(new Pt(200, 300), TOL, false);
        editor.release(new Pt(200, 300));
        editor.delete();
        assertThat(editor.draftProperty().get().linesSpec()).isEqualTo("door:384,0,384,576");
        assertThat(editor.dirtyProperty().get()).isTrue();
        editor.revert();
        assertThat(editor.draftProperty().get()).isEqualTo(active);
        assertThat(editor.dirtyProperty().get()).isFalse();
    }

    @Test
    void aRefusedApplyKeepsTheDraftAndSaysWhy() {
        editor = new GeometryEditor(s -> active,
                (s, g) -> CompletableFuture.failedFuture(new IllegalStateException("403 FORBIDDEN: not an operator")));
        editor.load("lobby");
        editor.press(new Pt(200, 300), TOL, false);
        editor.release(new Pt(200, 300));
        editor.delete();
        editor.apply(Runnable::run).handle((v, e) -> null).join();
        assertThat(editor.messageProperty().get()).isEqualTo("refused: 403 FORBIDDEN: not an operator");
        assertThat(editor.dirtyProperty().get()).isTrue();
    }

    @Test
    void anEditElsewhereShowsUnlessTheDraftHasEdits() throws Exception {
        active = Geometry.parse("door:384,0,384,576", "");
        editor.refresh();
        assertThat(editor.draftProperty().get()).isEqualTo(active);
        editor.press(new Pt(384, 300), TOL, false);
        editor.release(new Pt(384, 300));
        editor.delete();
        active = Geometry.parse("door:380,0,380,576", "");
        editor.refresh();
        assertThat(editor.draftProperty().get().lines()).isEmpty();
        assertThat(editor.dirtyProperty().get()).isTrue();
    }

    CountingLine line(String name) {
        return editor.draftProperty().get().lines().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }
}
