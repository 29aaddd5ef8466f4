package io.argus.coordinator.http;

import io.argus.coordinator.config.ConfigException;
import io.argus.coordinator.store.StoreUnavailableException;
import io.argus.coordinator.streams.StreamException;

/** The one place where the coordinator's domain exceptions become HTTP statuses and error codes. */
final class HttpErrors {
    private HttpErrors() {
    }

    static ApiException of(StreamException e) {
        int status = switch (e.kind()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case UNAVAILABLE -> 503;
        };
        return new ApiException(status, e.code(), e.getMessage());
    }

    static ApiException of(ConfigException e) {
        return new ApiException(e.status(), e.code(), e.getMessage());
    }

    /** A full disk or a store being reopened: the client may retry; the reason is in /healthz. */
    static ApiException of(StoreUnavailableException e) {
        return new ApiException(503, "STORE_UNAVAILABLE", "the event store is unavailable for this request; see /healthz");
    }
}
