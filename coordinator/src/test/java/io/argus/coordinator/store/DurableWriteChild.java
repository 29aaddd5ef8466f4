package io.argus.coordinator.store;

import io.argus.protocol.v1.Event;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM that records batches and says so after each returns ("ACKED n", as the event server
 * acknowledges), then waits to be killed: {@link DiskFullStoreTest} SIGKILLs it right after an
 * acknowledgement and counts what the file holds.
 */
public final class DurableWriteChild {
    public static void main(String[] args) throws Exception {
        int batches = Integer.parseInt(args[1]);
        try (JdbcEventStore store = JdbcEventStore.embedded(Path.of(args[0]))) {
            int n = 0;
            for (int b = 0; b < batches; b++) {
                List<Event> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++, n++) {
                    batch.add(DiskFullStoreTest.crossing(n));
                }
                store.record(batch);
                System.out.println("ACKED " + n);
                System.out.flush();
            }
            Thread.sleep(60_000);
        }
    }
}
