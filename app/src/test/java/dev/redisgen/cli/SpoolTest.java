package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Render's output held until it may be printed: in memory, then in a temporary file that is removed afterwards. */
class SpoolTest {

    private static List<Path> spoolFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("redisgen-render-")).toList();
        }
    }

    @Test
    void smallOutputStaysInMemoryAndComesBackInOrder() throws Exception {
        StringWriter out = new StringWriter();
        try (Spool spool = new Spool()) {
            spool.add("---\na: 1\n");
            spool.add("---\nb: ü\n");
            assertThat(spool.spilled()).isFalse();
            spool.copyTo(new PrintWriter(out));
        }
        assertThat(out.toString()).isEqualTo("---\na: 1\n---\nb: ü\n");
    }

    @Test
    void largeOutputGoesToATemporaryFileThatIsRemoved() throws Exception {
        List<Path> before = spoolFiles();
        StringWriter out = new StringWriter();
        StringBuilder expected = new StringBuilder();
        try (Spool spool = new Spool(10)) {
            for (String part : List.of("0123456", "789€", "abcdefghijklmnop", "ünïcödé\n")) {
                spool.add(part);
                expected.append(part);
            }
            assertThat(spool.spilled()).isTrue();
            PrintWriter writer = new PrintWriter(out);
            spool.copyTo(writer);
            writer.flush();
        }
        assertThat(out.toString()).isEqualTo(expected.toString());
        assertThat(spoolFiles()).isEqualTo(before);
    }

    /** To {@link Cli#writer} (stdout), the UTF-8 bytes go to its stream as they are, after what the writer holds. */
    @Test
    void toAStreamWriterTheBytesGoStraightToItsStreamInOrder() throws Exception {
        for (int memory : List.of(Spool.MEMORY_BYTES, 10)) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            PrintWriter writer = Cli.writer(bytes);
            writer.print("first\n");
            StringBuilder expected = new StringBuilder("first\n");
            try (Spool spool = new Spool(memory)) {
                for (String part : List.of("0123456", "789€", "abcdefghijklmnop", "ünïcödé\n")) {
                    spool.add(part);
                    expected.append(part);
                }
                spool.add(List.of(java.nio.ByteBuffer.wrap("xyz".getBytes(StandardCharsets.UTF_8), 1, 2),
                        java.nio.ByteBuffer.wrap("€\n".getBytes(StandardCharsets.UTF_8))));
                expected.append("yz€\n");
                assertThat(spool.spilled()).isEqualTo(memory == 10);
                spool.copyTo(writer);
            }
            writer.print("last\n");
            writer.flush();
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(expected + "last\n");
        }
    }

    @Test
    void aFailedRenderLeavesNoFile() throws Exception {
        List<Path> before = spoolFiles();
        try (Spool spool = new Spool(1)) {
            spool.add("spilled");
            assertThat(spool.spilled()).isTrue();
        }
        assertThat(spoolFiles()).isEqualTo(before);
    }
}
