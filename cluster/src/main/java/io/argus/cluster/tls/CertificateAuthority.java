package io.argus.cluster.tls;

import io.argus.protocol.tls.TlsSettings;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A small certificate authority for a test or lab cluster ({@code bin/argus certs}): one self-signed
 * CA and, per node, a certificate valid for both server and client authentication, so the same
 * files serve an agent's port, a coordinator's gateway and mutual TLS. Keys are EC P-256.
 *
 * <p>Files written into the output directory: {@code ca.pem} (share with every node),
 * {@code ca.key} (keep offline), and {@code NAME.pem} / {@code NAME.key} per node. Key files are
 * created readable by their owner only. Every certificate names {@code localhost}, {@code 127.0.0.1}
 * and {@code ::1}, the node's own name, and the extra hosts given, because clients verify the
 * address they dial against the certificate.
 */
public final class CertificateAuthority {
    public static final String CA_CERT = TlsSettings.CA_FILE;
    public static final String CA_KEY = "ca.key";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair caKeys;
    private final X509Certificate caCert;
    private final Duration validity;

    private CertificateAuthority(KeyPair caKeys, X509Certificate caCert, Duration validity) {
        this.caKeys = caKeys;
        this.caCert = caCert;
        this.validity = validity;
    }

    /** Creates a fresh CA and writes {@code ca.pem} and {@code ca.key} into {@code dir}. */
    public static CertificateAuthority create(Path dir, String clusterName, Duration validity)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=" + clusterName + " CA,O=Argus");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate cert = sign(b.build(signer(keys)));
        writePem(dir.resolve(CA_CERT), cert, false);
        writePem(dir.resolve(CA_KEY), new JcaPKCS8Generator(keys.getPrivate(), null), true);
        return new CertificateAuthority(keys, cert, validity);
    }

    /**
     * Issues {@code NAME.pem} and {@code NAME.key} into {@code dir} for a node reachable at
     * {@code hosts} (DNS names or IP literals) as well as on loopback.
     */
    public void issue(Path dir, String name, List<String> hosts) throws IOException, GeneralSecurityException {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("node name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        KeyPair keys = newKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
                new X500Name("CN=" + name + ",O=Argus"), keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(Extension.subjectAlternativeName, false, alternativeNames(name, hosts));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
        X509Certificate cert = sign(b.build(signer(caKeys)));
        writePem(dir.resolve(name + ".pem"), cert, false);
        writePem(dir.resolve(name + ".key"), new JcaPKCS8Generator(keys.getPrivate(), null), true);
    }

    /** A CA plus one certificate per node name, all valid for {@code hosts} and loopback. */
    public static void createCluster(Path dir, List<String> nodes, List<String> hosts, Duration validity)
            throws IOException, GeneralSecurityException {
        CertificateAuthority ca = create(dir, "argus", validity);
        for (String n : nodes) {
            ca.issue(dir, n, hosts);
        }
    }

    private static GeneralNames alternativeNames(String name, List<String> hosts) {
        Set<String> all = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1", name));
        all.addAll(hosts);
        List<GeneralName> names = new ArrayList<>();
        for (String h : all) {
            names.add(isIpLiteral(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static boolean isIpLiteral(String h) {
        if (h.contains(":")) {
            return true;
        }
        if (!h.matches("[0-9.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(h);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }

    private static ContentSigner signer(KeyPair keys) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).build(keys.getPrivate());
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X509Certificate sign(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static void writePem(Path file, Object pem, boolean secret) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(pem);
        }
        Files.deleteIfExists(file);
        if (secret) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
        }
        try {
            Files.writeString(file, out.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
