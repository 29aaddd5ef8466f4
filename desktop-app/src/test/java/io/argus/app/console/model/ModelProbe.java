package io.argus.app.console.model;

import java.util.Set;

/** Lets view tests drive a view model's pulse as {@link ConsoleModel#pulse} does, without a cluster client. */
public final class ModelProbe {
    private ModelProbe() {
    }

    /** Puts a test's feed on the console's wall, as a source added by the operator would be. */
    public static StreamViewModel attach(ConsoleModel model, io.argus.app.console.feed.Feed feed) {
        return model.attach(feed);
    }

    public static void pulse(StreamViewModel vm, long nowMs, Set<String> lostAgents) {
        vm.pulse(nowMs);
        vm.judge(nowMs, lostAgents);
    }
}
