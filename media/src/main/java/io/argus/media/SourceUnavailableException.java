package io.argus.media;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * A source could not be opened, said for the operator: what is wrong and what to check, with no
 * library's developer hints (JavaCV's "Has setFormat() been called?" is advice to a programmer
 * calling it, not to someone who mistyped a path). {@link #reason()} says which kind of failure
 * it was, for callers that answer with a code.
 */
public final class SourceUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;
    /** JavaCV appends parenthesised questions to FFmpeg's error text; they are for programmers. */
    private static final Pattern ERROR_CODE = Pattern.compile("error (-[0-9]+)");
    private static final Pattern DEVELOPER_HINT = Pattern.compile("\\s*\\((?:Has|Is|Are|Did|Was)\\b.*?\\?\\)");

    /** What kind of failure, each with what the operator should check. */
    public enum Reason {
        /** A local path that does not exist. */
        NOT_FOUND("check that the path exists (for a managed stream: on the agent's machine)"),
        /** A local path that exists but cannot be read by this process. */
        NOT_READABLE("check that the file is readable by the user running Argus"),
        /** A file FFmpeg cannot decode as video, or a folder with no images. */
        NOT_VIDEO("check that it is a video format FFmpeg can open (MP4, AVI, MKV, ...) or a folder of JPEG, PNG or BMP images"),
        /** A network URL that could not be reached or read. */
        UNREACHABLE("check that the URL is reachable from this machine and serves video"),
        /** A camera device that could not be opened. */
        NO_CAMERA("check that the camera device exists and is not in use by another program"),
        /** The spelling of the source is wrong (camera:abc). */
        MALFORMED("give a file, a folder, an rtsp:// or http(s):// URL, or camera:N");

        private final String check;

        Reason(String check) {
            this.check = check;
        }

        /** What to check, as an instruction. */
        public String check() {
            return check;
        }
    }

    private final Reason reason;
    private final String source;

    public SourceUnavailableException(Reason reason, String source, String problem) {
        this(reason, source, problem, null);
    }

    public SourceUnavailableException(Reason reason, String source, String problem, @Nullable Throwable cause) {
        super(problem + "; " + reason.check(), cause);
        this.reason = reason;
        this.source = source;
    }

    public Reason reason() {
        return reason;
    }

    /** The source as it was given. */
    public String source() {
        return source;
    }

    /**
     * FFmpeg's own words for why it failed: the text of its error code (for {@code
     * avformat_open_input() error -2: ...}, "No such file or directory"), else JavaCV's message without
     * its developer hints; empty when there is nothing.
     */
    static String ffmpegDetail(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return "";
        }
        java.util.regex.Matcher code = ERROR_CODE.matcher(m);
        if (code.find()) {
            try {
                String text = FfmpegErrors.describe(Integer.parseInt(code.group(1)));
                if (!text.isEmpty()) {
                    return text;
                }
            } catch (NumberFormatException | LinkageError ignored) {
                // no text for it: the message below says what there is
            }
        }
        return DEVELOPER_HINT.matcher(m).replaceAll("").trim();
    }
}
