package io.argus.task.params;

import io.argus.protocol.v1.Code;
import io.argus.task.api.ColorParams;
import io.argus.task.api.FaceParams;
import io.argus.task.api.TaskException;
import io.argus.task.api.TaskNames;
import io.argus.task.api.composite.AnnotateParams;
import io.argus.task.api.composite.MosaicParams;
import io.argus.task.api.composite.StitchParams;
import io.argus.task.api.people.PeopleConfig;
import io.argus.task.api.text.TextEngine;
import io.argus.task.api.text.TextParams;
import io.argus.task.api.text.WatchList;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskParamsTest {

    /** The parameters a task cannot do without; every other one has a default. */
    private static Map<String, String> required(String task) {
        return switch (task) {
            case TaskNames.MOSAIC -> Map.of("tile", "cam-1");
            case TaskNames.STITCH -> Map.of("camera", "left");
            default -> Map.of();
        };
    }

    @Test
    void everyKnownTaskAcceptsItsDefaults() throws TaskException {
        assertThat(TaskNames.KNOWN).containsExactly("noop", "color", "faces", "people", "text", "mosaic", "stitch",
                "annotate");
        for (String task : TaskNames.KNOWN) {
            TaskParams.validate(task, required(task));
        }
    }

    @Test
    void theTextEngineIsOneOfTheNamedCombinationsAndAnythingElseIsABadRequestListingThem() throws TaskException {
        for (TextEngine e : TextEngine.values()) {
            assertThat(TextParams.parse(Map.of("engine", e.key())).engine()).isEqualTo(e);
        }
        assertThat(TextParams.parse(Map.of("engine", " PPOCR ")).engine()).isEqualTo(TextEngine.PPOCR);
        assertThatThrownBy(() -> TaskParams.validate("text", Map.of("engine", "easyocr")))
                .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.BAD_REQUEST))
                .hasMessageContaining("'engine'").hasMessageContaining("mser-tesseract, ppocr-tesseract, ppocr, ppocr-mixed");
    }

    @Test
    void anUnknownTaskIsUnsupportedAndTheMessageListsTheKnownOnes() {
        assertThatThrownBy(() -> TaskParams.validate("ocr", Map.of()))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.UNSUPPORTED_TASK);
                    assertThat(e.getMessage()).contains("ocr").contains(TaskNames.KNOWN.toString());
                });
    }

    @Test
    void missingParametersTakeTheDeclaredDefaults() throws TaskException {
        assertThat(ColorParams.parse(Map.of()))
                .isEqualTo(new ColorParams(ColorParams.DEFAULT_K, ColorParams.DEFAULT_SAMPLE));
        assertThat(FaceParams.parse(Map.of())).isEqualTo(new FaceParams(FaceParams.DEFAULT_SCALE_FACTOR,
                FaceParams.DEFAULT_MIN_NEIGHBORS, FaceParams.DEFAULT_MIN_SIZE));
        assertThat(TextParams.parse(Map.of())).isEqualTo(new TextParams(TextParams.DEFAULT_MIN_CONFIDENCE,
                TextParams.DEFAULT_AGREE, TextParams.DEFAULT_FORGET_FRAMES, TextParams.DEFAULT_MAX_LINES,
                WatchList.EMPTY, TextParams.DEFAULT_SPARSE, TextParams.DEFAULT_SPARSE_CONFIDENCE,
                TextParams.DEFAULT_MAX_SIDE, false, TextParams.DEFAULT_ENGINE));
        assertThat(MosaicParams.parse(Map.of("tile", "a"))).isEqualTo(new MosaicParams("a",
                MosaicParams.DEFAULT_LAYOUT, List.of(), MosaicParams.DEFAULT_WIDTH, MosaicParams.DEFAULT_HEIGHT,
                MosaicParams.DEFAULT_QUALITY, MosaicParams.DEFAULT_STALE_MS, "", MosaicParams.DEFAULT_EVERY));
        assertThat(StitchParams.parse(Map.of("camera", "a"))).isEqualTo(new StitchParams("a", "",
                StitchParams.DEFAULT_QUALITY, StitchParams.DEFAULT_RECHECK_MS, StitchParams.DEFAULT_DRIFT_PX,
                StitchParams.DEFAULT_MAX_CANVAS));
        assertThat(AnnotateParams.parse(Map.of())).isEqualTo(new AnnotateParams(AnnotateParams.DEFAULT_QUALITY,
                AnnotateParams.DEFAULT_MAX_WIDTH, 1, 1, 0, 0, ""));
        PeopleConfig people = PeopleConfig.parse(Map.of());
        assertThat(people.minHeight()).isEqualTo(PeopleConfig.DEFAULT_MIN_HEIGHT);
        assertThat(people.fullEveryMs()).isEqualTo(PeopleConfig.DEFAULT_FULL_EVERY_MS);
        assertThat(people.maxMisses()).isEqualTo(PeopleConfig.DEFAULT_MAX_MISSES);
        assertThat(people.regionPyramidStep()).isEqualTo(PeopleConfig.DEFAULT_REGION_PYRAMID_STEP);
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheParameterAndTheRange() {
        record Bad(String task, String name, String value, String range) {
        }
        for (Bad b : List.of(new Bad("color", "k", "17", "[1, 16]"), new Bad("faces", "minNeighbors", "0", "[1, 20]"),
                new Bad("text", "maxSide", "100", "[160, 8192]"), new Bad("mosaic", "width", "4000", "[160, 3840]"),
                new Bad("stitch", "driftPx", "0.1", "[0.5, 100.0]"), new Bad("annotate", "quality", "x", "[1, 100]"),
                new Bad("people", "minHeight", "2", "[0.02, 1.0]"))) {
            Map<String, String> p = new HashMap<>(required(b.task()));
            p.put(b.name(), b.value());
            assertThatThrownBy(() -> TaskParams.validate(b.task(), p)).as(b.toString())
                    .isInstanceOfSatisfying(TaskException.class, e -> {
                        assertThat(e.code()).isEqualTo(Code.BAD_REQUEST);
                        assertThat(e.getMessage()).contains("'" + b.name() + "'").contains(b.range());
                    });
        }
    }

    @Test
    void requiredNamesAndOversizeOverlaysAreRefused() {
        assertThatThrownBy(() -> TaskParams.validate("mosaic", Map.of()))
                .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.getMessage()).contains("'tile'"));
        assertThatThrownBy(() -> TaskParams.validate("stitch", Map.of("camera", "a/b")))
                .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.getMessage()).contains("'camera'"));
        String overlay = "A".repeat(AnnotateParams.MAX_OVERLAY_CHARS + 1);
        assertThatThrownBy(() -> TaskParams.validate("annotate", Map.of("overlay", overlay)))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.BAD_REQUEST);
                    assertThat(e.getMessage()).contains("'overlay'").contains("4 MiB");
                });
    }
}
