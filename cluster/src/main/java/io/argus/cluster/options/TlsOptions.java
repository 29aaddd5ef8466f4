package io.argus.cluster.options;

import io.argus.protocol.tls.TlsSettings;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The TLS command-line options every Argus process shares (a picocli mixin). Give all three
 * files, or none for plaintext (then the process must stay on loopback).
 */
public final class TlsOptions {
    @Option(names = "--tls-cert", description = "PEM certificate of this node (from 'bin/argus certs').")
    @Nullable Path cert;

    @Option(names = "--tls-key", description = "PEM (PKCS#8) private key of this node.")
    @Nullable Path key;

    @Option(names = "--tls-ca", description = "PEM certificate of the cluster CA; peers must be signed by it.")
    @Nullable Path ca;

    @Option(names = "--tls-client-auth", description = "Servers require client certificates from the CA (mutual TLS).")
    boolean clientAuth;

    /** The settings, or null when no TLS file was given. */
    public @Nullable TlsSettings settings() {
        if (cert == null && key == null && ca == null) {
            if (clientAuth) {
                throw new IllegalArgumentException("--tls-client-auth needs --tls-cert, --tls-key and --tls-ca");
            }
            return null;
        }
        if (cert == null || key == null || ca == null) {
            throw new IllegalArgumentException("TLS needs all of --tls-cert, --tls-key and --tls-ca");
        }
        return TlsSettings.builder().certFile(cert).keyFile(key).caFile(ca).requireClientCertificates(clientAuth).build();
    }
}
