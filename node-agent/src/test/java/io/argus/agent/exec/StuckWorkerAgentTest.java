package io.argus.agent.exec;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.agent.task.StatefulTask;
import io.argus.agent.task.TaskContext;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.TaskException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stuck-worker watchdog on a real agent with ONE worker. A worker that never returns cannot be
 * produced with a real input any more (the scan cap, the pixel budgets and the processing budget
 * stop every one we know), so this test registers a task that hangs the way native code does: it
 * ignores interrupts and never reaches a budget check. This fake stands for a failure that cannot
 * otherwise be triggered; everything around it (lanes, watchdog, network, answers) is real.
 */
class StuckWorkerAgentTest {
    /** A stateful task that hangs, uninterruptibly, until the test lets it go. */
    static final class HangTask implements StatefulTask<long[]> {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public String name() {
            return "hang";
        }

        @Override
        public TaskResult run(TaskContext ctx) throws TaskException {
            ctx.state(this)[0]++;
            entered.countDown();
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // as native code: the interrupt goes unnoticed
                }
            }
            return TaskResult.newBuilder().setTask(name()).setStatus(Code.OK).build();
        }

        @Override
        public long[] newState() {
            return new long[1];
        }

        @Override
        public byte[] exportState(long[] state) {
            return Long.toString(state[0]).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public long[] importState(byte[] data) {
            return new long[]{Long.parseLong(new String(data, StandardCharsets.UTF_8))};
        }

        @Override
        public Class<long[]> stateType() {
            return long[].class;
        }
    }

    /** The agent's /healthz as "status code body". */
    static String health(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void aStuckWorkerIsAnsweredForReplacedAndReportedAndTheAgentRecovers() throws Exception {
        HangTask hang = new HangTask();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("stuck-test").bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").workers(1).warmup(false).metricsPort(0)
                .taskBudgetMs(50).stuckWorkerGraceMs(200).maxStuckWorkers(1).build(), m -> List.of(hang));
        try (AgentConnection c = AgentConnection.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                ClientOptions.builder(group).clientId("stuck").build(), ConnectionListener.NONE).get(5, TimeUnit.SECONDS)) {
            byte[] jpeg = ProcessingBudgetAgentTest.noisyJpeg(320, 240);
            CompletableFuture<FrameResult> stuck = c.send(ProcessingBudgetAgentTest.frame("stuck", 0, jpeg, "hang"));
            // queued behind it in its lane: goes on without it, on the fresh worker
            CompletableFuture<FrameResult> behind = c.send(ProcessingBudgetAgentTest.frame("stuck", 1, jpeg, "hang"));
            assertThat(hang.entered.await(30, TimeUnit.SECONDS)).isTrue();

            Throwable t = null;
            try {
                stuck.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                t = e.getCause();
            }
            assertThat(t).isInstanceOf(AgentErrorException.class);
            assertThat(((AgentErrorException) t).code()).isEqualTo(Code.TIMEOUT);
            assertThat(t.getMessage()).contains("stuckWorkerGraceMs");

            // the stream's state went with the stuck worker: its next frame is refused, not applied
            // to state the stuck thread may still change, and the client reopens from a checkpoint
            Throwable b = null;
            try {
                behind.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                b = e.getCause();
            }
            assertThat(b).isInstanceOf(AgentErrorException.class);
            assertThat(((AgentErrorException) b).code()).isEqualTo(Code.OUT_OF_ORDER);

            // the only worker is stuck, yet another stream is answered: a fresh worker took its place
            FrameResult other = c.send(ProcessingBudgetAgentTest.frame("other", 0, jpeg, "color")).get(60, TimeUnit.SECONDS);
            assertThat(other.getTasks(0).getStatus()).isEqualTo(Code.OK);
            var registry = agent.runtime().metrics().registry();
            assertThat(registry.get("argus.agent.workers.stuck").counter().count()).isEqualTo(1.0);
            assertThat(agent.runtime().lanes().stuckAlive()).isEqualTo(1);
            assertThat(agent.runtime().lanes().poolSize()).isEqualTo(2);
            assertThat(health(agent.metricsPort())).startsWith("503 ").contains("\"status\":\"degraded\"").contains("maxStuckWorkers");

            // the hung call returns at last: the pool shrinks back, and the agent is healthy again
            hang.release.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (agent.runtime().lanes().stuckAlive() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(agent.runtime().lanes().stuckAlive()).isZero();
            assertThat(agent.runtime().lanes().poolSize()).isEqualTo(1);
            assertThat(health(agent.metricsPort())).startsWith("200 ").contains("\"status\":\"ok\"");
            assertThat(registry.scrape()).contains("argus_agent_workers_stuck_total").contains("argus_agent_workers_stuck_alive");
            assertThat(c.send(ProcessingBudgetAgentTest.frame("other", 1, jpeg, "color")).get(60, TimeUnit.SECONDS)
                    .getTasks(0).getStatus()).isEqualTo(Code.OK);
        } finally {
            hang.release.countDown();
            agent.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
