package io.argus.app.console.model;

import java.util.Set;

/** Lets view tests drive a view model's pulse as {@link ConsoleModel#pulse} does, without a cluster client. */
public final class ModelProbe {
    private ModelProbe() {
    }

    public static void pulse(StreamViewModel vm, long nowMs, Set<String> lostAgents) {
        vm.pulse(nowMs);
        vm.judge(nowMs, lostAgents);
    }
}
