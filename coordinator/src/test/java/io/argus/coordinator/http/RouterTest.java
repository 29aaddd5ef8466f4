package io.argus.coordinator.http;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The route table's matching: parameters, checks, first match wins, 405 only where declared. */
class RouterTest {
    private final List<String> calls = new ArrayList<>();
    private final Router router = new Router()
            .param("stream", "[a-z]{1,8}", id -> {
                if (id.equals("bad")) {
                    throw JsonErrors.badRequest("bad id");
                }
            })
            .param("sub", "[a-z]+", s -> { })
            .route(HttpMethod.GET, "/v1/streams/{stream}", r -> calls.add("get " + r.param("stream")))
            .notAllowed("/v1/streams/{stream}", m -> m + " on a stream")
            .route(null, "/v1/streams/{stream}/counts", r -> calls.add(r.method() + " counts"))
            .route(null, "/v1/streams/{stream}/{sub}", r -> calls.add("other " + r.param("sub")))
            .route(HttpMethod.GET, "/healthz", r -> calls.add("health"));

    private void dispatch(HttpMethod m, String path) {
        router.dispatch(null, null, true, null, m, path, null);
    }

    private static ApiException error(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("no ApiException");
    }

    @Test
    void matchesTemplatesInOrder() {
        dispatch(HttpMethod.GET, "/v1/streams/cam");
        dispatch(HttpMethod.POST, "/v1/streams/cam/counts");
        dispatch(HttpMethod.GET, "/v1/streams/cam/zzz");
        dispatch(HttpMethod.GET, "/healthz");
        assertThat(calls).containsExactly("get cam", "POST counts", "other zzz", "health");
    }

    @Test
    void answers405OnlyWhereDeclaredElse404() {
        ApiException e = error(() -> dispatch(HttpMethod.DELETE, "/v1/streams/cam"));
        assertThat(e.status()).isEqualTo(405);
        assertThat(e.getMessage()).isEqualTo("DELETE on a stream");
        e = error(() -> dispatch(HttpMethod.POST, "/healthz"));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("no such resource: POST /healthz");
    }

    @Test
    void parameterMustMatchWholeAndPassItsCheck() {
        assertThat(error(() -> dispatch(HttpMethod.GET, "/v1/streams/CAM")).status()).isEqualTo(404);
        assertThat(error(() -> dispatch(HttpMethod.GET, "/v1/streams/")).status()).isEqualTo(404);
        assertThat(error(() -> dispatch(HttpMethod.GET, "/v1/streams/cam/")).status()).isEqualTo(404);
        // the check runs before the method is looked at, as the regex router did
        assertThat(error(() -> dispatch(HttpMethod.PATCH, "/v1/streams/bad")).status()).isEqualTo(400);
        assertThat(calls).isEmpty();
    }
}
