package io.argus.agent.record;

import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.TaskResult;

import java.util.ArrayList;
import java.util.List;

/** Where the events of processed frames go: to the coordinators, or nowhere without a cluster. */
public interface Recorder {
    Recorder NONE = r -> {
    };

    void record(FrameResult result);

    static Recorder to(CoordinatorLink link) {
        return r -> {
            List<Event> events = new ArrayList<>();
            for (TaskResult t : r.getTasksList()) {
                events.addAll(t.getEventsList());
            }
            link.publish(events);
        };
    }
}
