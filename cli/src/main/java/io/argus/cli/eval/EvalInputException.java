package io.argus.cli.eval;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Malformed or oversized evaluation input, located: {@code file:line: what is wrong}. An
 * {@link IOException} so that callers that read files already handle it.
 */
public final class EvalInputException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;

    public EvalInputException(Path file, long line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number, or 0 when the problem is with the file as a whole. */
    public long line() {
        return line;
    }
}
