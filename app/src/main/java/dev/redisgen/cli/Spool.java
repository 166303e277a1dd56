package dev.redisgen.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stream a render prints, kept until every profile is known to render (SPEC "no partial output"): in memory up to
 * {@link #MEMORY_CHARS}, beyond that in a temporary file (owner-only, deleted on close), so that a batch of 1,000
 * profiles (~150 MB of YAML) does not hold its whole output in the heap.
 */
final class Spool implements Closeable {
    static final int MEMORY_CHARS = 16 << 20;

    private final StringBuilder memory = new StringBuilder();
    private final int memoryChars;
    private Path file;
    private Writer writer;

    Spool() {
        this(MEMORY_CHARS);
    }

    Spool(int memoryChars) {
        this.memoryChars = memoryChars;
    }

    void add(String text) throws IOException {
        if (writer == null && (long) memory.length() + text.length() <= memoryChars) {
            memory.append(text);
            return;
        }
        if (writer == null) {
            file = Files.createTempFile("redisgen-render-", ".yaml");
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            writer.append(memory);
            memory.setLength(0);
            memory.trimToSize();
        }
        writer.write(text);
    }

    /** Whether the text went to a file (for tests). */
    boolean spilled() {
        return file != null;
    }

    /** Everything added, in order. */
    void copyTo(PrintWriter out) throws IOException {
        out.append(memory);
        if (writer != null) {
            writer.close();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                in.transferTo(out);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            try {
                if (writer != null) {
                    writer.close();
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
