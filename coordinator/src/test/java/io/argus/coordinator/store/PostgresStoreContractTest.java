package io.argus.coordinator.store;

import io.argus.testing.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL server (Debian's, started by the test on loopback with its
 * own data directory), thumbnails in the database; each test on a database of its own.
 */
class PostgresStoreContractTest extends EventStoreContract {
    static PostgresServer pg;
    private static int n;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @Override
    JdbcEventStore open(StoreSettings settings) throws Exception {
        String url = pg.createDatabase("contract" + n++);
        return JdbcEventStore.shared(url, new SimpleMeterRegistry(), StoreSettings.builder().url(url).user(pg.user())
                .password(pg.password()).clock(settings.clock()).retention(settings.retention()).build());
    }
}
