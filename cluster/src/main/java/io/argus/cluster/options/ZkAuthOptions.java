package io.argus.cluster.options;

import io.argus.cluster.ZkCredentials;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The ZooKeeper credentials option every Argus process shares (a picocli mixin). */
public final class ZkAuthOptions {
    @Option(names = "--zk-auth-file", description = "File whose first line is the cluster's ZooKeeper USER:PASSWORD "
            + "(digest ACLs on everything Argus creates). Default: the " + ZkCredentials.ENV
            + " environment variable, else an open cluster.")
    @Nullable Path file;

    public @Nullable ZkCredentials credentials() throws IOException {
        return ZkCredentials.resolve(file);
    }
}
