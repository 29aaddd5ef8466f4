package io.argus.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.testing.LeakCheck;
import io.argus.testing.TestAssets;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * The original design's route, {@code POST /image/{type}}, and what it needs of the gateway, end
 * to end on a real ZooKeeper and two real agents: the merged {@code Data}, the tasks of a request in
 * one pipeline (annotate draws the faces found before it), and several images in one request in a
 * scope of their own (two clients stitching different pairs at once each get their own panorama).
 */
class ImageCompatibilityTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestingServer zk;
    static NodeAgent one;
    static NodeAgent two;
    static Coordinator coordinator;
    static final HttpClient http = HttpClient.newHttpClient();
    static byte[] photo;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        LeakCheck.reset();
        zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1, Map.of()), true);
        AgentConfig.Builder base = AgentConfig.builder().zkConnect(zk.getConnectString()).bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").workers(2).disabledTasks(List.of("text"));
        one = NodeAgent.start(base.agentId("compat-1").build());
        two = NodeAgent.start(base.agentId("compat-2").build());
        // the deadline is generous: AKAZE on two agents of a machine shared with other builds
        coordinator = Coordinator.start(CoordinatorConfig.builder().id("compat-c").zkConnect(zk.getConnectString())
                .httpPort(0).dataDir(dir.resolve("c")).imageTimeoutMs(20_000).ratePerSecond(1_000)
                .images(ImageRequestConfig.builder().maxImages(6).build()).build());
        photo = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(HttpRequest.newBuilder(
                        URI.create(base() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()).body()
                .contains("\"agents\":2"));
    }

    @AfterAll
    static void stop() throws Exception {
        coordinator.close();
        two.close();
        one.close();
        zk.close();
        LeakCheck.assertNoLeaks();
    }

    static String base() {
        return "http://127.0.0.1:" + coordinator.httpPort();
    }

    static HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What {@code curl -d '{"image_data":"<base64>","image_type":0}' http://HOST/image/...} sends. */
    static HttpResponse<String> curlData(String path, byte[] image) throws Exception {
        String body = "{\"image_data\":\"" + Base64.getEncoder().encodeToString(image) + "\",\"image_type\":0}";
        return post(path, "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.US_ASCII));
    }

    static BufferedImage decode(JsonNode image) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(image.get("data_base64").asText())));
    }

    @Test
    void theSeedsBodyOnFacesAndColorComesBackAsOneMergedData() throws Exception {
        HttpResponse<String> r = curlData("/image/faces,color", photo);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode d = JSON.readTree(r.body());
        assertThat(d.get("task").asText()).isEqualTo("faces,color");
        assertThat(d.get("status").asText()).isEqualTo("OK");
        // one map of strings and one of numbers, holding both tasks' keys
        assertThat(d.get("numbers").get("faces.count").asDouble()).isGreaterThanOrEqualTo(1);
        List<String> strings = new ArrayList<>();
        d.get("strings").fieldNames().forEachRemaining(strings::add);
        assertThat(strings).hasSize(5).allMatch(k -> k.startsWith("color."));
        List<String> numbers = new ArrayList<>();
        d.get("numbers").fieldNames().forEachRemaining(numbers::add);
        assertThat(numbers).contains("faces.count").anyMatch(k -> k.startsWith("color."));
        assertThat(d.get("images")).isEmpty();
        assertThat(d.get("overlays").size()).isGreaterThanOrEqualTo(d.get("numbers").get("faces.count").asInt());
        assertThat(d.has("tasks")).as("merged, not per task").isFalse();

        // the raw image works too, and /v1/images carries the same merged data beside its per-task results
        HttpResponse<String> raw = post("/image/faces", "image/jpeg", photo);
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
        assertThat(JSON.readTree(raw.body()).at("/numbers/faces.count").asInt()).isEqualTo(d.at("/numbers/faces.count").asInt());
        HttpResponse<String> v1 = post("/v1/images?tasks=faces,color", "image/jpeg", photo);
        assertThat(v1.statusCode()).isEqualTo(200);
        JsonNode v1n = JSON.readTree(v1.body());
        assertThat(v1n.at("/merged/strings").size()).isEqualTo(5);
        assertThat(v1n.at("/merged/numbers/faces.count").asInt()).isEqualTo(d.at("/numbers/faces.count").asInt());
        // one agent ran both tasks
        assertThat(v1n.get("agents").asText()).doesNotContain(",");
    }

    @Test
    void badRequestsOnTheCompatibilityRouteGetTypedErrors() throws Exception {
        HttpResponse<String> unknown = curlData("/image/faces,levitate", photo);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).at("/error/code").asText()).isEqualTo("UNSUPPORTED_TASK");
        HttpResponse<String> notImage = curlData("/image/color", "not a picture".getBytes(StandardCharsets.UTF_8));
        assertThat(notImage.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notImage.body()).at("/error/code").asText()).isEqualTo("IMAGE_DECODE_FAILED");
        HttpResponse<String> notBase64 = post("/image/color", "application/x-www-form-urlencoded",
                "{\"image_data\":\"%%%\",\"image_type\":0}".getBytes(StandardCharsets.UTF_8));
        assertThat(notBase64.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notBase64.body()).at("/error/message").asText()).contains("base64");
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base() + "/image/faces")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        HttpResponse<String> oneForStitch = curlData("/image/stitch", photo);
        assertThat(oneForStitch.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(oneForStitch.body()).at("/error/message").asText()).contains("exactly two images");
        // over the configured count (6 here): refused before anything is decoded or sent
        ArrayNode many = JSON.createArrayNode();
        for (int i = 0; i < 7; i++) {
            many.add(Base64.getEncoder().encodeToString(photo));
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("images", many);
        HttpResponse<String> tooMany = post("/image/mosaic", "application/json", JSON.writeValueAsBytes(body));
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooMany.body()).at("/error/message").asText()).contains("7 images", "limit of 6");
    }

    /**
     * The tasks of one request run on one agent in one pipeline: annotate burns in the faces found
     * before it. Each face's box edge is found in the decoded picture in the face colour (BGR
     * 255,120,0), where neither the photo nor annotate alone has it.
     */
    @Test
    void facesThenAnnotateReturnsThePictureWithTheFacesDrawn() throws Exception {
        HttpResponse<String> r = curlData("/image/faces,annotate", photo);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode d = JSON.readTree(r.body());
        List<JsonNode> boxes = new ArrayList<>();
        d.get("overlays").forEach(o -> {
            if (o.get("type").asText().equals("box")) {
                boxes.add(o);
            }
        });
        assertThat(boxes).hasSizeGreaterThanOrEqualTo(1);
        assertThat(d.get("images")).hasSize(1);
        BufferedImage annotated = decode(d.get("images").get(0));
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(photo));
        HttpResponse<String> plain = curlData("/image/annotate", photo);
        assertThat(plain.statusCode()).isEqualTo(200);
        BufferedImage unannotated = decode(JSON.readTree(plain.body()).get("images").get(0));
        assertThat(annotated.getWidth()).isEqualTo(original.getWidth());
        for (JsonNode b : boxes) {
            assertThat(boxEdgeFraction(annotated, b)).as("face box %s drawn", b).isGreaterThan(0.8);
            assertThat(boxEdgeFraction(original, b)).as("photo at %s", b).isLessThan(0.2);
            assertThat(boxEdgeFraction(unannotated, b)).as("annotate alone at %s", b).isLessThan(0.2);
        }
    }

    /** The share of points along the box's four edges that have the face colour (within JPEG's error). */
    static double boxEdgeFraction(BufferedImage img, JsonNode box) {
        int x = (int) Math.round(box.get("x").asDouble());
        int y = (int) Math.round(box.get("y").asDouble());
        int w = (int) Math.round(box.get("w").asDouble());
        int h = (int) Math.round(box.get("h").asDouble());
        int hits = 0;
        int n = 0;
        for (int i = 1; i < 20; i++) {
            int px = x + w * i / 20;
            int py = y + h * i / 20;
            int[][] points = {{px, y}, {px, y + h}, {x, py}, {x + w, py}};
            for (int[] p : points) {
                n++;
                if (faceColourNear(img, p[0], p[1])) {
                    hits++;
                }
            }
        }
        return (double) hits / n;
    }

    private static boolean faceColourNear(BufferedImage img, int cx, int cy) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int px = cx + dx;
                int py = cy + dy;
                if (px < 0 || py < 0 || px >= img.getWidth() || py >= img.getHeight()) {
                    continue;
                }
                int rgb = img.getRGB(px, py);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (b > 190 && r < 70 && g > 70 && g < 170) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Two crops of one real photo, the second offset by (dx, dy): a pair whose homography is known. */
    record Pair(BufferedImage photo, byte[] left, byte[] right, int dx, int dy, int w, int h) {
        static Pair of(String asset, int dx, int dy, int w, int h) throws IOException {
            BufferedImage p = ImageIO.read(TestAssets.file(asset).toFile());
            return new Pair(p, png(p.getSubimage(0, 0, w, h)), png(p.getSubimage(dx, dy, w, h)), dx, dy, w, h);
        }

        byte[] request() throws IOException {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode images = body.putArray("images");
            images.addObject().put("name", "left").put("image_base64", Base64.getEncoder().encodeToString(left));
            images.addObject().put("name", "right").put("image_base64", Base64.getEncoder().encodeToString(right));
            return JSON.writeValueAsBytes(body);
        }
    }

    static byte[] png(BufferedImage img) throws IOException {
        BufferedImage copy = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        copy.getGraphics().drawImage(img, 0, 0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(copy, "png", out);
        return out.toByteArray();
    }

    /** Mean absolute grey-level difference between the panorama and the photo it was cut from. */
    static double meanDifference(BufferedImage pano, BufferedImage photo) {
        long sum = 0;
        int n = 0;
        for (int y = 2; y < Math.min(pano.getHeight(), photo.getHeight()) - 2; y += 7) {
            for (int x = 2; x < Math.min(pano.getWidth(), photo.getWidth()) - 2; x += 7) {
                sum += Math.abs(grey(pano.getRGB(x, y)) - grey(photo.getRGB(x, y)));
                n++;
            }
        }
        return (double) sum / n;
    }

    private static int grey(int rgb) {
        return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
    }

    /**
     * Two clients stitch different pairs at the same time, several rounds each. Over the 32 shared
     * streams of before, their images met in one stitch state ("cannot stitch lvB onto b", or a
     * panorama of the other client's pictures); each request now has a stream of its own, so each
     * answer is its own pair's panorama: the homography is its pair's offset, and the picture is
     * the photo the pair was cut from.
     */
    @Test
    void twoClientsStitchingDifferentPairsAtOnceEachGetTheirOwnPanorama() throws Exception {
        Pair graf = Pair.of("images/stitch/graf1.png", 240, 80, 560, 480);
        Pair street = Pair.of("images/text/scenetext01.jpg", 180, 60, 560, 480);
        Pair[] pairs = {graf, street};
        int rounds = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<JsonNode>>> answers = new ArrayList<>();
            for (Pair p : pairs) {
                byte[] body = p.request();
                answers.add(clients.submit(() -> {
                    go.await();
                    List<JsonNode> out = new ArrayList<>();
                    for (int i = 0; i < rounds; i++) {
                        HttpResponse<String> r = post("/image/stitch", "application/json", body);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        out.add(JSON.readTree(r.body()));
                    }
                    return out;
                }));
            }
            go.countDown();
            for (int k = 0; k < pairs.length; k++) {
                Pair p = pairs[k];
                Pair other = pairs[1 - k];
                for (JsonNode d : answers.get(k).get(120, TimeUnit.SECONDS)) {
                    assertThat(d.get("status").asText()).isEqualTo("OK");
                    JsonNode n = d.get("numbers");
                    assertThat(n.get("stitch.h2").asDouble()).isCloseTo(p.dx(), offset(3.0));
                    assertThat(n.get("stitch.h5").asDouble()).isCloseTo(p.dy(), offset(3.0));
                    assertThat(d.at("/strings/stitch.reference").asText()).isEqualTo("left");
                    assertThat(d.get("images")).hasSize(1);
                    BufferedImage pano = decode(d.get("images").get(0));
                    assertThat(pano.getWidth()).isBetween(p.w() + p.dx() - 2, p.w() + p.dx() + 2);
                    assertThat(pano.getHeight()).isBetween(p.h() + p.dy() - 2, p.h() + p.dy() + 2);
                    assertThat(meanDifference(pano, p.photo())).as("panorama against its own photo").isLessThan(12);
                    assertThat(meanDifference(pano, other.photo())).as("against the other client's").isGreaterThan(25);
                }
            }
        } finally {
            clients.shutdownNow();
        }
        // every request's stream was reset after its answer: nothing of them stays on the agents
        await().atMost(Duration.ofSeconds(5)).until(() -> Stream.of(one, two)
                .flatMap(a -> a.runtime().states().all().stream()).noneMatch(st -> st.streamId().contains("req-")));
    }

    /** A pair that does not overlap is a typed error with the reason, and carries no canvas. */
    @Test
    void aStitchThatFailsValidationIsATypedErrorWithoutACanvas() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode images = body.putArray("images");
        images.add(Base64.getEncoder().encodeToString(photo));
        images.add(Base64.getEncoder().encodeToString(Files.readAllBytes(TestAssets.file("images/text/scenetext02.jpg"))));
        HttpResponse<String> r = post("/image/stitch", "application/json", JSON.writeValueAsBytes(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode d = JSON.readTree(r.body());
        assertThat(d.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(d.at("/error/message").asText()).contains("cannot stitch 2 onto 1");
        assertThat(d.get("status").asText()).isEqualTo("BAD_REQUEST");
        assertThat(d.get("images")).isEmpty();
    }

    /** Several cameras in one request compose one wall, with a tile per image named as the client named it. */
    @Test
    void aMosaicOfSeveralImagesIsOneWall() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode images = body.putArray("images");
        for (String name : List.of("door", "hall", "yard")) {
            images.addObject().put("name", name).put("image_base64", Base64.getEncoder().encodeToString(photo));
        }
        body.putObject("params").putObject("mosaic").put("width", "960").put("height", "540");
        HttpResponse<String> r = post("/image/mosaic", "application/json", JSON.writeValueAsBytes(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode d = JSON.readTree(r.body());
        assertThat(d.at("/numbers/mosaic.tiles").asInt()).isEqualTo(3);
        assertThat(d.at("/numbers/mosaic.stale").asInt()).isZero();
        assertThat(d.get("strings").has("mosaic.cell.door")).isTrue();
        assertThat(d.get("strings").has("mosaic.cell.yard")).isTrue();
        assertThat(d.get("images")).hasSize(1);
        BufferedImage wall = decode(d.get("images").get(0));
        assertThat(wall.getWidth()).isEqualTo(960);
        assertThat(wall.getHeight()).isEqualTo(540);
        // /v1/images: the last image's tasks (the wall), the merged data, and every image's results
        HttpResponse<String> v1 = post("/v1/images?tasks=mosaic", "application/json", JSON.writeValueAsBytes(body));
        assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
        JsonNode n = JSON.readTree(v1.body());
        assertThat(n.at("/tasks/mosaic/numbers/mosaic.tiles").asInt()).isEqualTo(3);
        assertThat(n.at("/merged/images")).hasSize(1);
        assertThat(n.get("frames")).hasSize(3);
        // the wall is composed once, on the last image (every = the image count)
        assertThat(n.get("frames").get(0).at("/mosaic/images").isMissingNode()).isTrue();
        assertThat(n.get("frames").get(2).at("/mosaic/images")).hasSize(1);
    }
    /**
     * Many requests on streams of their own, one after the other: each is reset after its answer
     * and so stops counting against the agent's 64 streams per connection. Before, the gateway's
     * connection to an agent was refused OVERLOADED for good after its 64th (503 for every
     * stitch from then on, found by hand with curl).
     */
    @Test
    void moreScopedRequestsThanAnAgentAllowsStreamsPerConnectionAreAllAnswered() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode images = body.putArray("images");
        images.add(Base64.getEncoder().encodeToString(photo));
        images.add(Base64.getEncoder().encodeToString(photo));
        byte[] json = JSON.writeValueAsBytes(body);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            statuses.add(post("/image/noop", "application/json", json).statusCode());
        }
        assertThat(statuses).as("%s", statuses).containsOnly(200);
    }
    static byte[] multipart(String boundary, Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"; filename=\""
                    + f.getKey() + ".png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(f.getValue());
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** What {@code curl -F left=@a.png -F right=@b.png http://HOST/image/stitch} sends: the panorama of the two files. */
    @Test
    void aStitchSentAsMultipartFilesIsThePanoramaOfItsParts() throws Exception {
        Pair graf = Pair.of("images/stitch/graf1.png", 240, 80, 560, 480);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("left", graf.left());
        files.put("right", graf.right());
        HttpResponse<String> r = post("/image/stitch", "multipart/form-data; boundary=argus-test-boundary",
                multipart("argus-test-boundary", files));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode d = JSON.readTree(r.body());
        assertThat(d.at("/numbers/stitch.h2").asDouble()).isCloseTo(240, offset(3.0));
        assertThat(d.at("/strings/stitch.reference").asText()).isEqualTo("left");
        assertThat(meanDifference(decode(d.get("images").get(0)), graf.photo())).isLessThan(12);
        // a multipart body without a file, and one that does not decode: typed 400s
        HttpResponse<String> none = post("/image/stitch", "multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nhello\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(none.body()).at("/error/message").asText()).contains("no file part");
        HttpResponse<String> broken = post("/image/stitch", "multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"left\"; filename=\"a\"\r\n\r\nno end".getBytes(StandardCharsets.US_ASCII));
        assertThat(broken.statusCode()).as(broken.body()).isEqualTo(400);
        HttpResponse<String> noBoundary = post("/image/stitch", "multipart/form-data", "garbage".getBytes(StandardCharsets.US_ASCII));
        assertThat(noBoundary.statusCode()).as(noBoundary.body()).isEqualTo(400);
        Map<String, byte[]> seven = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            seven.put("cam" + i, graf.left());
        }
        HttpResponse<String> tooMany = post("/image/mosaic", "multipart/form-data; boundary=argus-test-boundary",
                multipart("argus-test-boundary", seven));
        assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(413);
        // every buffer the multipart decoder made for these is released: the class's leak check runs after all
    }
}
