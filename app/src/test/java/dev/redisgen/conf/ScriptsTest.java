package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScriptsTest {

    static final Path SOURCE_DIR = Path.of("app/src/main/resources/redisgen/scripts");

    @TempDir
    Path tmp;

    static List<String> scripts() {
        return Scripts.names();
    }

    @Test
    void namesListEveryShellFileInTheResourceFolderSorted() throws IOException {
        List<String> onDisk;
        try (Stream<Path> files = Files.list(SOURCE_DIR)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sh")).sorted().toList();
        }
        assertThat(Scripts.names()).isEqualTo(onDisk).isSorted();
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void loadReturnsTheFileBytesExactly(String name) throws IOException {
        assertThat(Scripts.load(name).getBytes(StandardCharsets.UTF_8))
                .isEqualTo(Files.readAllBytes(SOURCE_DIR.resolve(name)));
        // Run as `sh /scripts/NAME`, except the one Sentinel execs itself (notification-script), which needs its #! line.
        String head = name.equals("sentinel-notify.sh") ? "#!/bin/sh\n# shellcheck shell=sh\n" : "# shellcheck shell=sh\n";
        assertThat(Scripts.load(name)).doesNotContain("\r").endsWith("\n").startsWith(head);
    }

    @Test
    void unknownScriptIsRefused() {
        assertThatThrownBy(() -> Scripts.load("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void passesShellcheckAsPosixSh(String name) {
        Path shellcheck = Binaries.require("shellcheck");
        Path dir = ScriptFiles.materialize(tmp.resolve("scripts"));
        Proc.Result r = Proc.run(List.of(shellcheck.toString(), "-s", "sh", "-x", dir.resolve(name).toString()),
                Map.of(), Duration.ofSeconds(60));
        assertThat(r.all()).as("shellcheck output for " + name).isEmpty();
        assertThat(r.exitCode()).isZero();
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void parsesUnderDash(String name) {
        Path dash = Binaries.require("dash");
        Proc.Result r = Proc.run(List.of(dash.toString(), "-n", SOURCE_DIR.resolve(name).toString()));
        assertThat(r.all()).isEmpty();
        assertThat(r.exitCode()).isZero();
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void parsesUnderBusyboxSh(String name) {
        Path busybox = Binaries.require("busybox");
        Proc.Result r = Proc.run(List.of(busybox.toString(), "sh", "-n", SOURCE_DIR.resolve(name).toString()));
        assertThat(r.all()).isEmpty();
        assertThat(r.exitCode()).isZero();
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void neverPutsAPasswordOnACommandLine(String name) {
        String text = Scripts.load(name);
        assertThat(text).doesNotContainPattern("redis-cli[^\\n]* -a ")
                .doesNotContainPattern("redis-(server|sentinel)[^\\n]*--requirepass")
                .doesNotContainPattern("echo [^\\n]*PASSWORD");
    }
}
