package io.argus.cli.analyze;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** A one-line progress bar on stderr, redrawn at most five times a second; silent when not on a terminal. */
public final class Progress {
    private final PrintStream err;
    private final long total;
    private final boolean enabled;
    private final AtomicLong done = new AtomicLong();
    private final long start = System.nanoTime();
    private volatile long lastDraw;

    public Progress(PrintStream err, long total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
    }

    /** Java cannot ask whether stderr is a terminal; a console on stdin/stdout and a TERM are the usual proxy. */
    @SuppressWarnings("SystemConsoleNull") // on Java 17, the release this is built for, it is null without a terminal
    public static boolean stderrLooksLikeTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    public void step() {
        long n = done.incrementAndGet();
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && n != total) {
            return;
        }
        lastDraw = now;
        double secs = Math.max(1e-3, (now - start) / 1e9);
        String rate = String.format("%.1f fps", n / secs);
        if (total > 0) {
            int width = 30;
            int filled = (int) Math.min(width, width * n / total);
            err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + n + "/" + total + " frames " + rate + "  ");
        } else {
            err.print("\r" + n + " frames " + rate + "  ");
        }
        err.flush();
    }

    public void finish() {
        if (enabled) {
            err.println();
        }
    }
}
