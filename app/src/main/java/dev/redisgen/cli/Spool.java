package dev.redisgen.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The stream a render prints, kept until every profile is known to render (SPEC "no partial output"): in memory up to
 * {@link #MEMORY_BYTES}, beyond that in a temporary file (owner-only, deleted on close), so that a batch of 1,000
 * profiles (~250 MB of YAML) does not hold its output in the heap. The text is kept as UTF-8, encoded once: to a
 * writer of {@link Cli#writer} the bytes are copied as they are, without being decoded and encoded again.
 */
final class Spool implements Closeable {
    static final int MEMORY_BYTES = 4 << 20;
    private static final int COPY_BUFFER = 256 << 10;

    private final ByteArrayOutputStream memory = new ByteArrayOutputStream(64 << 10);
    private final int memoryBytes;
    private Path file;
    private OutputStream writer;

    Spool() {
        this(MEMORY_BYTES);
    }

    Spool(int memoryBytes) {
        this.memoryBytes = memoryBytes;
    }

    void add(String text) throws IOException {
        add(List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** UTF-8 text in chunks, in order (their positions are left as they are). */
    void add(List<ByteBuffer> chunks) throws IOException {
        long size = 0;
        for (ByteBuffer chunk : chunks) {
            size += chunk.remaining();
        }
        OutputStream to = memory;
        if (writer == null && (long) memory.size() + size > memoryBytes) {
            file = Files.createTempFile("redisgen-render-", ".yaml");
            writer = new BufferedOutputStream(Files.newOutputStream(file), COPY_BUFFER);
            memory.writeTo(writer);
            memory.reset();
        }
        if (writer != null) {
            to = writer;
        }
        for (ByteBuffer chunk : chunks) {
            to.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
        }
    }

    /** Whether the text went to a file (for tests). */
    boolean spilled() {
        return file != null;
    }

    /** Everything added, in order. */
    void copyTo(PrintWriter out) throws IOException {
        if (writer != null) {
            writer.close();
        }
        OutputStream bytes = out instanceof Cli.UnixPrintWriter unix ? unix.bytes() : null;
        if (bytes == null) {
            out.append(memory.toString(StandardCharsets.UTF_8));
            if (file != null) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    in.transferTo(out);
                }
            }
            return;
        }
        // What the writer holds goes first, then the bytes straight to its stream.
        out.flush();
        memory.writeTo(bytes);
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[COPY_BUFFER];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    bytes.write(buffer, 0, n);
                }
            }
        }
        bytes.flush();
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
