package io.argus.coordinator.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store contract on the embedded H2 store (thumbnails as files). */
class EmbeddedStoreContractTest extends EventStoreContract {
    @TempDir
    Path dir;
    private int n;

    @Override
    JdbcEventStore open(StoreSettings settings) {
        return JdbcEventStore.embedded(dir.resolve("store" + n++), new SimpleMeterRegistry(), settings);
    }
}
