package io.argus.agent;

import io.argus.agent.task.ColorTask;
import io.argus.agent.task.FaceTask;
import io.argus.agent.task.ModelFiles;
import io.argus.agent.task.NoopTask;
import io.argus.agent.task.TaskRegistry;
import io.argus.agent.task.VisionTask;
import io.argus.agent.task.composite.AnnotateTask;
import io.argus.agent.task.composite.MosaicTask;
import io.argus.agent.task.composite.StitchTask;
import io.argus.agent.task.people.DnnPersonDetector;
import io.argus.agent.task.people.HogPersonDetector;
import io.argus.agent.task.people.PeopleTask;
import io.argus.agent.task.text.DnnTextDetector;
import io.argus.agent.task.text.LineRecognizer;
import io.argus.agent.task.text.PpOcrModels;
import io.argus.agent.task.text.TextLineDetector;
import io.argus.agent.task.text.TextTask;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which tasks an agent offers: the built-in ones (with the model files they load from
 * {@link AgentConfig#modelsDir()}), plug-ins, minus {@link AgentConfig#disabledTasks()}. A task
 * that cannot load its native library (Tesseract) is left out, and the agent does not advertise it.
 */
final class TaskCatalogue {
    private static final Logger log = LoggerFactory.getLogger(TaskCatalogue.class);
    /** Input width of the DNN person detector's network. */
    static final int DNN_PERSON_INPUT = 640;
    /** Input width of the DNN text detector's network. */
    static final int DNN_TEXT_INPUT = 736;
    /** Longest side the classical text-line detector works on. */
    static final int TEXT_LINE_MAX_SIDE = 1280;

    private TaskCatalogue() {
    }

    /** The registry of enabled tasks; tasks that are disabled are closed at once. */
    static TaskRegistry registry(AgentConfig config, Function<ModelFiles, List<VisionTask>> extraTasks) {
        TaskRegistry tasks = new TaskRegistry();
        for (VisionTask t : all(new ModelFiles(config.modelsDir()), config, extraTasks)) {
            if (config.disabledTasks().contains(t.name())) {
                t.close();
            } else {
                tasks.register(t);
            }
        }
        return tasks;
    }

    static List<VisionTask> all(ModelFiles models, AgentConfig config, Function<ModelFiles, List<VisionTask>> extra) {
        List<VisionTask> list = new ArrayList<>();
        list.add(new NoopTask());
        list.add(new ColorTask());
        list.add(new FaceTask(models.file("cascades/haarcascade_frontalface_default.xml")));
        list.add(new PeopleTask(config.personModel() != null
                ? new DnnPersonDetector(config.personModel(), DNN_PERSON_INPUT) : new HogPersonDetector()));
        list.add(new MosaicTask());
        list.add(new StitchTask());
        list.add(new AnnotateTask());
        try {
            list.add(new TextTask(config.textModel() != null
                    ? new DnnTextDetector(config.textModel(), DNN_TEXT_INPUT) : new TextLineDetector(TEXT_LINE_MAX_SIDE),
                    new LineRecognizer(models.directoryOf("tessdata/eng.traineddata"), "eng"),
                    config.textModel() != null ? null : ppocrModels()));
        } catch (RuntimeException | LinkageError e) {
            // an agent without Tesseract does not advertise "text" and gets no text streams
            log.warn("text task unavailable: {}", e.toString());
        }
        list.addAll(extra.apply(models));
        return list;
    }

    /** PaddleOCR's models for the text task, or null (the task then runs MSER and Tesseract only). */
    private static @Nullable PpOcrModels ppocrModels() {
        PpOcrModels m = PpOcrModels.loadIfPresent();
        if (m == null) {
            log.warn("PP-OCR models unavailable: the text task finds lines with MSER and reads them with Tesseract");
        }
        return m;
    }
}
