package io.argus.agent.exec;

import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.embedded.InProcessPipeline;
import io.argus.media.image.OpenCv;
import io.argus.agent.task.VisionTask;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import static org.assertj.core.api.Assertions.assertThat;

/** A frame over a heavy task's pixel budget: that task answers TOO_LARGE, the cheap ones still run. */
class TaskPixelBudgetTest {
    @Test
    void heavyTasksRefuseFramesOverTheirBudgetAndTheOthersStillRun() throws Exception {
        OpenCv.load();
        try (InProcessPipeline p = InProcessPipeline.create(AgentConfig.builder().workers(1).warmup(false).build())) {
            FrameResult over = p.pipeline().process(frame(3840, 2161), System.nanoTime());
            assertThat(over.getTasks(0).getTask()).isEqualTo("people");
            assertThat(over.getTasks(0).getStatus()).isEqualTo(Code.TOO_LARGE);
            assertThat(over.getTasks(0).getMessage()).contains(Long.toString(VisionTask.HEAVY_TASK_MAX_PIXELS));
            assertThat(over.getTasks(1).getTask()).isEqualTo("color");
            assertThat(over.getTasks(1).getStatus()).isEqualTo(Code.OK);

            FrameResult within = p.pipeline().process(frame(640, 480), System.nanoTime());
            assertThat(within.getTasks(0).getStatus()).isEqualTo(Code.OK);
        }
    }

    static FrameRequest frame(int w, int h) {
        Mat m = new Mat(h, w, CvType.CV_8UC3, new Scalar(0, 0, 0));
        MatOfByte buf = new MatOfByte();
        Imgcodecs.imencode(".jpg", m, buf);
        byte[] jpeg = buf.toArray();
        m.release();
        buf.release();
        return FrameRequest.newBuilder().setStreamId("budget-" + w).setSequence(0)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)))
                .addTasks(TaskRequest.newBuilder().setName("people"))
                .addTasks(TaskRequest.newBuilder().setName("color")).build();
    }
}
