package io.argus.cluster;

import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Objects;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The cluster's ZooKeeper credentials (digest scheme): every Argus process that writes to ZooKeeper
 * (agents, coordinators, consoles) authenticates with them, and every node Argus creates gets the
 * ACL {@code digest:USER:HASH} with all permissions plus {@code world:anyone} with read only. So an
 * anonymous client can look at the cluster but can neither register a fake agent, write an
 * assignment nor change a stream's configuration.
 *
 * <p>Secrets come from a file or the {@code ARGUS_ZK_AUTH} environment variable ({@code user:password})
 * and are never logged ({@link #toString()} shows the user only).
 */
public final class ZkCredentials {
    /** Environment variable read when no file is given. */
    public static final String ENV = "ARGUS_ZK_AUTH";

    /** User name of the credentials the embedded default generates for each run. */
    public static final String GENERATED_USER = "argus";
    /** Random bytes in a generated password (base64url without padding: 43 characters). */
    public static final int GENERATED_PASSWORD_BYTES = 32;

    private final String user;
    private final String password;
    private final List<ACL> acl;
    private final Id clusterId;

    private ZkCredentials(String user, String password) {
        this(user, password, true);
    }

    /**
     * @param worldReadable whether nodes get {@code world:anyone} READ besides the cluster's ALL: consoles
     *                      and {@code watch} of a real cluster may then read without credentials
     */
    private ZkCredentials(String user, String password, boolean worldReadable) {
        if (user.isEmpty() || user.contains(":") || password.isEmpty()) {
            throw new IllegalArgumentException("ZooKeeper credentials must be USER:PASSWORD with a non-empty user and password");
        }
        this.user = user;
        this.password = password;
        try {
            String digest = DigestAuthenticationProvider.generateDigest(user + ":" + password);
            this.clusterId = new Id("digest", digest);
            // not List.of: ZooKeeper calls acl.contains(null), which List.of answers with an NPE
            List<ACL> entries = new ArrayList<>();
            entries.add(new ACL(ZooDefs.Perms.ALL, clusterId));
            if (worldReadable) {
                entries.add(new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
            }
            this.acl = Collections.unmodifiableList(entries);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /** From {@code user:password}. */
    public static ZkCredentials parse(String userColonPassword) {
        String s = userColonPassword.trim();
        int i = s.indexOf(':');
        if (i <= 0) {
            throw new IllegalArgumentException("ZooKeeper credentials must be USER:PASSWORD");
        }
        return new ZkCredentials(s.substring(0, i), s.substring(i + 1));
    }

    /** From the first line of a file. */
    public static ZkCredentials fromFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("ZooKeeper credentials file " + file + " is empty");
        }
        return parse(lines.get(0));
    }

    /** The file if given, else {@link #ENV}, else none (an open cluster). */
    public static @Nullable ZkCredentials resolve(@Nullable Path fileOrNull) throws IOException {
        if (fileOrNull != null) {
            return fromFile(fileOrNull);
        }
        String env = System.getenv(ENV);
        return env == null || env.isBlank() ? null : parse(env);
    }

    /**
     * Fresh random credentials for one run of the embedded default ({@code argus demo}, {@code argus zk},
     * {@link #GENERATED_PASSWORD_BYTES} bytes from {@link SecureRandom}). Nodes made with them are
     * readable by the cluster only, without the usual {@code world:anyone} READ: every process of an
     * in-process cluster has them, and the embedded server lets in any session that authenticates with
     * some digest user, so a world-readable node would show streams and sources to any local user who
     * makes up a password. Read back from a file ({@link #fromFile}) they are the usual kind.
     */
    public static ZkCredentials generate() {
        byte[] secret = new byte[GENERATED_PASSWORD_BYTES];
        new SecureRandom().nextBytes(secret);
        return new ZkCredentials(GENERATED_USER, Base64.getUrlEncoder().withoutPadding().encodeToString(secret), false);
    }

    /**
     * Writes {@code user:password} to a new file that is created readable and writable by its owner
     * only (0600). The permissions are given at creation, so the secret is never in a file anyone
     * else could open, not even for an instant; an existing file is replaced the same way (a new
     * file moved over it), never rewritten in place with its old permissions.
     */
    public void writeTo(Path file) throws IOException {
        Path dir = Objects.requireNonNull(file.toAbsolutePath().getParent(), "parent directory");
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(new SecureRandom().nextLong()) + ".tmp");
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, user + ":" + password + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The ZooKeeper identity these credentials authenticate as ({@code digest:USER:HASH}). */
    public Id clusterId() {
        return clusterId;
    }

    /**
     * Whether only the cluster may change a node with this ACL: every entry that grants anything
     * beyond READ (write, create, delete, admin) names {@link #clusterId()}. A node that fails this
     * may have been written by anyone, so nothing read from it is trusted.
     */
    public boolean onlyClusterWrites(List<ACL> nodeAcl) {
        if (nodeAcl == null || nodeAcl.isEmpty()) {
            return false;
        }
        for (ACL a : nodeAcl) {
            if ((a.getPerms() & ~ZooDefs.Perms.READ) != 0 && !clusterId.equals(a.getId())) {
                return false;
            }
        }
        return true;
    }

    public String user() {
        return user;
    }

    /** Bytes for Curator's {@code authorization("digest", ...)}. */
    byte[] authBytes() {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** ACLs for every node Argus creates. */
    public List<ACL> acl() {
        return acl;
    }

    ACLProvider aclProvider() {
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return acl;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return acl;
            }
        };
    }

    @Override
    public String toString() {
        return "ZkCredentials{user=" + user + ", password=***}";
    }
}
