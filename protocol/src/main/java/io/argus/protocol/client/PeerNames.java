package io.argus.protocol.client;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * Whether a certificate carries a node's name: as its subject's common name ({@code CN=proc1}, how
 * {@code bin/argus certs --node proc1} issues it) or as a DNS subject alternative name. Case-insensitive,
 * as DNS names are.
 */
public final class PeerNames {
    /** Subject alternative name type of a DNS name (RFC 5280). */
    private static final int DNS_NAME = 2;

    private PeerNames() {
    }

    public static boolean names(X509Certificate cert, String name) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN") && name.equalsIgnoreCase(String.valueOf(rdn.getValue()))) {
                    return true;
                }
            }
        } catch (InvalidNameException e) {
            // an unparsable subject names nobody; the alternative names may still
        }
        try {
            Collection<List<?>> alt = cert.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    if (entry.size() >= 2 && Integer.valueOf(DNS_NAME).equals(entry.get(0))
                            && name.equalsIgnoreCase(String.valueOf(entry.get(1)))) {
                        return true;
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return false;
    }
}
