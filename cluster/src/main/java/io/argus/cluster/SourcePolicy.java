package io.argus.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which sources a managed stream may read: the cluster administrator's allow-list, kept in
 * ZooKeeper ({@link ZkPaths#sourcePolicy()}) and checked twice, by the coordinator when a stream
 * is created (so a refusal is an HTTP 400, not a line in an agent's log) and by the agent before it
 * opens the source (so a definition written straight into ZooKeeper gets no further).
 *
 * <p>Why: an agent opens whatever a managed stream names, with its own network position and file
 * permissions. Unchecked, a stream is a server-side request forgery (an agent fetched
 * {@code http://127.0.0.1:…} for a client) and a file reader (a local image came back byte-exact
 * through a preview).
 *
 * <ul>
 *   <li>{@code schemes}: URL schemes allowed, e.g. {@code rtsp}, {@code rtsps}, {@code http}.</li>
 *   <li>{@code hosts}: host names allowed, compared by name, case-insensitively. Names are never
 *       resolved here: the address a name has at check time says nothing of the one FFmpeg will
 *       connect to (DNS rebinding), so a name is allowed only by being listed.</li>
 *   <li>{@code networks}: CIDR blocks ({@code 10.20.0.0/16}, {@code fd00::/8}) that literal
 *       addresses in a URL must fall in.</li>
 *   <li>{@code mediaRoots}: absolute directories under which local files and image folders may
 *       be read. Paths are normalised first ({@code ..} cannot climb out); the agent also resolves
 *       symbolic links before it opens a file ({@link #checkOpen}).</li>
 *   <li>{@code cameras}: whether {@code camera:N} (a V4L2 device of the agent) is allowed.</li>
 *   <li>{@code clientFiles}: whether clients may have the agents read recordings under the media
 *       roots frame by frame ({@code FILE_FRAME}, {@code analyze --encoding file}). Off by default:
 *       the media roots are the administrator's footage for managed streams, and a client that
 *       could name any file under them would see footage it was never given.</li>
 * </ul>
 *
 * <p>{@link #DEFAULT}, used while no policy is stored, allows nothing: a fresh cluster reads no
 * source until its administrator says which ones (`bin/argus sources`). A file source must be an
 * absolute path; anything that looks like an FFmpeg protocol prefix ({@code concat:},
 * {@code subfile:}, {@code file:}) is refused, because FFmpeg would interpret it rather than open
 * a file.
 */
public record SourcePolicy(List<String> schemes, List<String> hosts, List<String> networks, List<String> mediaRoots,
                           boolean cameras, boolean clientFiles) {
    /** Allows nothing: the policy of a cluster whose administrator has not stored one. */
    public static final SourcePolicy DEFAULT = new SourcePolicy(List.of(), List.of(), List.of(), List.of(), false, false);
    /** Most entries per list: a policy is written by an administrator, not a list of every camera. */
    public static final int MAX_ENTRIES = 256;
    /** Longest source spelling checked; longer ones are refused unread. */
    public static final int MAX_SOURCE_CHARS = 4_096;

    private static final Pattern URL_FORM = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);
    private static final Pattern PROTOCOL_PREFIX = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*", Pattern.DOTALL);
    private static final Pattern CAMERA = Pattern.compile("camera:[0-9]{1,3}");

    /**
     * This policy with one more media root: the real path of {@code root}, so a symbolic link cannot
     * later widen it. Throws {@link java.io.UncheckedIOException} when the folder does not exist.
     */
    public SourcePolicy withMediaRoot(Path root) {
        List<String> roots = new java.util.ArrayList<>(mediaRoots);
        try {
            roots.add(root.toRealPath().toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new SourcePolicy(schemes, hosts, networks, roots, cameras, clientFiles);
    }

    /** This policy with clients allowed, or not, to have the agents read files under the media roots. */
    public SourcePolicy withClientFiles(boolean allowed) {
        return new SourcePolicy(schemes, hosts, networks, mediaRoots, cameras, allowed);
    }

    /** A policy that lets no client have the agents read files ({@code clientFiles} false). */
    public SourcePolicy(List<String> schemes, List<String> hosts, List<String> networks, List<String> mediaRoots,
                        boolean cameras) {
        this(schemes, hosts, networks, mediaRoots, cameras, false);
    }

    @JsonCreator
    public SourcePolicy(@JsonProperty("schemes") List<String> schemes, @JsonProperty("hosts") List<String> hosts,
                        @JsonProperty("networks") List<String> networks,
                        @JsonProperty("mediaRoots") List<String> mediaRoots, @JsonProperty("cameras") boolean cameras,
                        @JsonProperty("clientFiles") boolean clientFiles) {
        this.schemes = lower(bounded("schemes", schemes));
        this.hosts = lower(bounded("hosts", hosts));
        this.networks = bounded("networks", networks);
        this.mediaRoots = bounded("mediaRoots", mediaRoots);
        this.cameras = cameras;
        this.clientFiles = clientFiles;
        for (String n : this.networks) {
            Cidr.parse(n); // fails now, not at the first check
        }
        for (String r : this.mediaRoots) {
            if (!Path.of(r).isAbsolute()) {
                throw new IllegalArgumentException("a media root must be an absolute path: " + r);
            }
        }
    }

    /**
     * Why {@code source} may not be read, judged from its spelling alone (what the coordinator can
     * know about a file on an agent's machine); empty when it is allowed.
     */
    public Optional<String> check(String source) {
        if (source == null || source.isBlank()) {
            return Optional.of("a managed stream needs a source");
        }
        if (source.length() > MAX_SOURCE_CHARS) {
            return Optional.of("a source of " + source.length() + " characters is over the limit of "
                    + MAX_SOURCE_CHARS);
        }
        if (CAMERA.matcher(source).matches()) {
            return cameras ? Optional.empty()
                    : Optional.of("cameras are not allowed as sources in this cluster (policy: cameras=false)");
        }
        if (URL_FORM.matcher(source).matches()) {
            return checkUrl(source);
        }
        if (PROTOCOL_PREFIX.matcher(source).matches()) {
            return Optional.of("'" + prefix(source) + ":' is not a source this cluster reads (a URL needs '://', "
                    + "a file an absolute path)");
        }
        Path p = Path.of(source);
        if (!p.isAbsolute()) {
            return Optional.of("a file source must be an absolute path under a media root: " + source);
        }
        return underRoot(p.normalize());
    }

    /**
     * As {@link #check}, and for a file or folder also with its symbolic links resolved: the check
     * an agent makes just before it opens the source. {@code realPath} is the source's real path
     * (or null when it is not a file; the caller resolves it, so that this record stays free of
     * file-system access).
     */
    public Optional<String> checkOpen(String source, @Nullable Path realPath) {
        Optional<String> lexical = check(source);
        if (lexical.isPresent() || realPath == null) {
            return lexical;
        }
        return underRoot(realPath);
    }

    /**
     * The media root that allows a local file or folder source (by its spelling, as {@link #check}),
     * or empty for a URL, a camera or a path under no root.
     */
    public Optional<Path> mediaRootOf(String source) {
        if (source == null || source.isBlank() || CAMERA.matcher(source).matches() || URL_FORM.matcher(source).matches()
                || PROTOCOL_PREFIX.matcher(source).matches()) {
            return Optional.empty();
        }
        Path p;
        try {
            p = Path.of(source);
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        if (!p.isAbsolute()) {
            return Optional.empty();
        }
        Path n = p.normalize();
        for (String r : mediaRoots) {
            Path root = Path.of(r).normalize();
            if (n.startsWith(root)) {
                return Optional.of(root);
            }
        }
        return Optional.empty();
    }

    private Optional<String> underRoot(Path p) {
        for (String r : mediaRoots) {
            if (p.startsWith(Path.of(r).normalize())) {
                return Optional.empty();
            }
        }
        return Optional.of(mediaRoots.isEmpty()
                ? "no media roots are configured, so no local file may be read (bin/argus sources --media-root)"
                : p + " is not under a media root " + mediaRoots);
    }

    private Optional<String> checkUrl(String source) {
        URI uri;
        try {
            uri = new URI(source);
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            return Optional.of("scheme " + scheme + " is not allowed (allowed: " + schemes + ")");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("a URL source needs a host: " + redact(uri));
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (hosts.contains(host)) {
            return Optional.empty();
        }
        Optional<InetAddress> literal = literal(host);
        if (literal.isPresent()) {
            for (String n : networks) {
                if (Cidr.parse(n).contains(literal.get())) {
                    return Optional.empty();
                }
            }
            return Optional.of("address " + host + " is not in an allowed network " + networks);
        }
        return Optional.of("host " + host + " is not allowed (allowed: " + hosts + "; names are matched by name, "
                + "never resolved)");
    }

    /** The address a URL host spells literally, without any lookup; empty for a name. */
    static Optional<InetAddress> literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = h.contains(":") && h.matches("[0-9a-fA-F:.%]+");
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(h)); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String prefix(String s) {
        return s.substring(0, Math.min(s.indexOf(':'), 32));
    }

    /** A URL without its user information (RTSP credentials), for messages. */
    private static String redact(URI uri) {
        return uri.getScheme() + "://" + (uri.getRawAuthority() == null ? "" : uri.getRawAuthority().replaceAll(".*@", ""));
    }

    private static List<String> bounded(String what, List<String> l) {
        List<String> out = l == null ? List.of() : List.copyOf(l);
        if (out.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(what + ": " + out.size() + " entries, over the limit of " + MAX_ENTRIES);
        }
        return out;
    }

    private static List<String> lower(List<String> l) {
        List<String> out = new ArrayList<>(l.size());
        for (String s : l) {
            out.add(s.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }
}
