package io.argus.cli;

import io.argus.cluster.tls.CertificateAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code argus certs}: a small CA and one certificate per node, for a test or lab cluster. For
 * production, use the organisation's CA; Argus only needs PEM files (see {@link CertificateAuthority}).
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Creates a CA and node certificates (PEM) for a test cluster with TLS.")
public final class CertsCommand implements Callable<Integer> {
    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).", defaultValue = "argus-certs")
    Path out;

    @Option(names = "--node", split = ",", description = "Node names, one certificate each "
            + "(default: coordinator, agent-1, agent-2, console).")
    List<String> nodes = new ArrayList<>();

    @Option(names = "--host", split = ",", description = "Extra host names or IP addresses the nodes are reached at "
            + "(loopback is always included).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--days", description = "Validity in days (default: ${DEFAULT-VALUE}).", defaultValue = "365")
    int days;

    @Override
    public Integer call() throws Exception {
        List<String> names = nodes.isEmpty() ? List.of("coordinator", "agent-1", "agent-2", "console") : nodes;
        CertificateAuthority.createCluster(out, names, hosts, Duration.ofDays(days));
        System.out.println("wrote " + out.resolve(CertificateAuthority.CA_CERT) + " (give to every node) and "
                + out.resolve(CertificateAuthority.CA_KEY) + " (keep offline)");
        for (String n : names) {
            System.out.println("  " + n + ": --tls-cert " + out.resolve(n + ".pem") + " --tls-key " + out.resolve(n + ".key")
                    + " --tls-ca " + out.resolve(CertificateAuthority.CA_CERT));
        }
        return 0;
    }
}
