package dev.redisgen.conf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the scripts as the classpath carries them into a folder, like the /scripts ConfigMap mount. */
final class ScriptFiles {
    private ScriptFiles() {
    }

    static Path materialize(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : Scripts.names()) {
                Files.writeString(dir.resolve(name), Scripts.load(name), StandardCharsets.UTF_8);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
