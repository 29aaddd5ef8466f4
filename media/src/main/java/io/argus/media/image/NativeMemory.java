package io.argus.media.image;

import org.bytedeco.javacpp.Pointer;

/**
 * JavaCPP's own memory limits ({@code -Dorg.bytedeco.javacpp.maxBytes} and
 * {@code maxPhysicalBytes}, set by the launchers; RELIABILITY.md says how they are sized). When an
 * allocation would pass them, JavaCPP throws an {@link OutOfMemoryError} of its own making: the
 * heap is fine and the JVM does not exit on it (ExitOnOutOfMemoryError only acts on the JVM's own),
 * so the agent answers the frame with a typed error instead of {@code INTERNAL}.
 */
public final class NativeMemory {
    private NativeMemory() {
    }

    /** Whether {@code t} is JavaCPP refusing an allocation over its limits. */
    public static boolean isJavaCppLimit(Throwable t) {
        if (!(t instanceof OutOfMemoryError) || t.getMessage() == null) {
            return false;
        }
        String m = t.getMessage();
        // JavaCPP's own words ("Cannot allocate new BytePointer(...)", "Failed to allocate memory
        // within limits", "Physical memory usage is too high"), never the JVM's ("Java heap space")
        if (!m.contains("allocate") && !m.contains("Physical memory")) {
            return false;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (StackTraceElement e : c.getStackTrace()) {
                if (e.getClassName().startsWith("org.bytedeco.javacpp.")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The limits in force, for messages: "maxBytes N, maxPhysicalBytes M". */
    public static String limits() {
        try {
            return "JavaCPP maxBytes " + Pointer.maxBytes() + ", maxPhysicalBytes "
                    + Pointer.maxPhysicalBytes();
        } catch (LinkageError e) {
            return "JavaCPP limits unknown";
        }
    }
}
