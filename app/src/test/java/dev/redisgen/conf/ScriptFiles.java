package dev.redisgen.conf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the scripts as the classpath carries them into a folder, like the /scripts ConfigMap mount (executable, as the mode 0555 of the mount:
 * Sentinel execs its notification-script).
 */
final class ScriptFiles {
    private ScriptFiles() {
    }

    static Path materialize(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : Scripts.names()) {
                Path file = dir.resolve(name);
                Files.writeString(file, Scripts.load(name), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
