package io.argus.protocol.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.jspecify.annotations.Nullable;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * TLS material of one Argus process: its certificate and private key, and the certificate of the
 * CA that signs every node of the cluster (all PEM; the key unencrypted PKCS#8, as written by
 * {@code bin/argus certs}). Immutable; build with {@link #builder()} or {@link #fromDirectory}.
 *
 * <p>Every Argus connection that uses it speaks TLS 1.3 and nothing older. Servers present their
 * certificate; clients check it against the CA and check that it names the host they dialled
 * (Netty's and the JDK's endpoint identification), so a node certificate is only good for the
 * addresses written into it. With {@link Builder#requireClientCertificates} servers also demand a
 * client certificate signed by the same CA (mutual TLS); clients always offer theirs.
 */
public final class TlsSettings {
    /** The CA certificate's file name in a certificate directory ({@code argus certs} writes it). */
    public static final String CA_FILE = "ca.pem";
    /** The only protocol version Argus negotiates. */
    public static final String PROTOCOL = "TLSv1.3";

    private final Path caFile;
    private final Path certFile;
    private final Path keyFile;
    private final boolean requireClientCertificates;

    private TlsSettings(Builder b) {
        this.caFile = Objects.requireNonNull(b.caFile, "CA certificate file");
        this.certFile = Objects.requireNonNull(b.certFile, "certificate file");
        this.keyFile = Objects.requireNonNull(b.keyFile, "key file");
        this.requireClientCertificates = b.requireClientCertificates;
        for (Path p : new Path[]{caFile, certFile, keyFile}) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("TLS file not readable: " + p);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The files {@code bin/argus certs} writes for node {@code name}: {@code ca.pem},
     * {@code NAME.pem} and {@code NAME.key} in {@code dir}.
     */
    public static TlsSettings fromDirectory(Path dir, String name, boolean requireClientCertificates) {
        return builder().caFile(dir.resolve(CA_FILE)).certFile(dir.resolve(name + ".pem"))
                .keyFile(dir.resolve(name + ".key")).requireClientCertificates(requireClientCertificates).build();
    }

    /**
     * Plaintext is for loopback development only: a process without TLS may bind a loopback
     * address and nothing else. Throws with a message that says what to do otherwise.
     */
    public static void requireLoopbackForPlaintext(String bindHost, String what) {
        boolean loopback;
        try {
            loopback = InetAddress.getByName(bindHost).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalArgumentException(what + " would serve plaintext on " + bindHost
                    + ": plaintext is allowed on loopback only; give TLS files (--tls-cert, --tls-key, --tls-ca;"
                    + " 'bin/argus certs' makes them) or bind 127.0.0.1");
        }
    }

    public Path caFile() {
        return caFile;
    }

    public Path certFile() {
        return certFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    public boolean requireClientCertificates() {
        return requireClientCertificates;
    }

    /** Netty context for a listening socket (agent frame port, coordinator event port, gateway). */
    public SslContext serverContext() throws SSLException {
        return SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile())
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOL)
                .trustManager(caFile.toFile())
                .clientAuth(requireClientCertificates ? ClientAuth.REQUIRE : ClientAuth.NONE)
                .build();
    }

    /** Netty context for outgoing connections; verifies the peer's certificate and host name. */
    public SslContext clientContext() throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOL)
                .trustManager(caFile.toFile())
                .keyManager(certFile.toFile(), keyFile.toFile())
                .endpointIdentificationAlgorithm("HTTPS")
                .build();
    }

    /** JDK context for {@code java.net.http} calls to a coordinator's HTTPS API. */
    public SSLContext jdkClientContext() throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("argus-ca", readCertificate(caFile));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        char[] none = new char[0];
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("argus-node", readKey(keyFile), none, new Certificate[]{readCertificate(certFile)});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, none);
        SSLContext ctx = SSLContext.getInstance(PROTOCOL);
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A JDK HTTP client that speaks HTTPS with these settings, or plain HTTP when {@code tls} is null. */
    public static HttpClient httpClient(@Nullable TlsSettings tls, Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (tls != null) {
            try {
                b.sslContext(tls.jdkClientContext());
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot load TLS files " + tls + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    static Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static PrivateKey readKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int start = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            throw new GeneralSecurityException(pem + " is not an unencrypted PKCS#8 PEM key");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(start + 27, end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : new String[]{"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException(pem + " holds neither an EC nor an RSA key");
    }

    @Override
    public String toString() {
        // never the key's contents: only where it lives
        return "TlsSettings{ca=" + caFile + ", cert=" + certFile + ", key=" + keyFile
                + ", mutual=" + requireClientCertificates + "}";
    }

    public static final class Builder {
        private @Nullable Path caFile;
        private @Nullable Path certFile;
        private @Nullable Path keyFile;
        private boolean requireClientCertificates;

        /** PEM certificate of the cluster CA. Required. */
        public Builder caFile(Path v) {
            this.caFile = v;
            return this;
        }

        /** PEM certificate of this node, signed by the CA. Required. */
        public Builder certFile(Path v) {
            this.certFile = v;
            return this;
        }

        /** Unencrypted PKCS#8 PEM private key of this node. Required. */
        public Builder keyFile(Path v) {
            this.keyFile = v;
            return this;
        }

        /** Servers demand a client certificate from the CA (mutual TLS). Default false. */
        public Builder requireClientCertificates(boolean v) {
            this.requireClientCertificates = v;
            return this;
        }

        public TlsSettings build() {
            return new TlsSettings(this);
        }
    }
}
