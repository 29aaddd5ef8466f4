package io.argus.cli.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One JSON document per line; safe to call from several threads (lines never interleave). */
public final class JsonLinesWriter implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Writer out;
    private final boolean closeUnderlying;

    private JsonLinesWriter(Writer out, boolean closeUnderlying) {
        this.out = out;
        this.closeUnderlying = closeUnderlying;
    }

    public static JsonLinesWriter open(@Nullable Path file) throws IOException {
        if (file == null) {
            return new JsonLinesWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), false);
        }
        return new JsonLinesWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true);
    }

    public synchronized void write(JsonNode node) {
        try {
            out.write(MAPPER.writeValueAsString(node));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.flush();
        if (closeUnderlying) {
            out.close();
        }
    }
}
