package dev.redisgen.emit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Golden files (habit 8): {@code check} compares render output with them byte for byte, and
 * {@code check --update} rewrites them on purpose.
 */
public final class Golden {

    /** The outcome of a comparison: {@code diff} is "" when equal, else what to print. */
    public record Result(boolean equal, String diff) {
        public Result {
            Objects.requireNonNull(diff, "diff");
        }
    }

    private Golden() {
    }

    /**
     * Compares {@code actual} with the file. A missing golden file is drift: its diff is against
     * empty text, after a line saying to run with {@code --update}.
     */
    public static Result compare(Path goldenFile, String actual) throws IOException {
        Objects.requireNonNull(actual, "actual");
        String name = goldenFile.toString();
        if (!Files.exists(goldenFile)) {
            return new Result(false, "golden file " + name + " does not exist; run with --update to create it\n"
                    + UnifiedDiff.diff(name, name + " (rendered)", "", actual));
        }
        String expected = new String(Files.readAllBytes(goldenFile), StandardCharsets.UTF_8);
        if (expected.equals(actual)) {
            return new Result(true, "");
        }
        return new Result(false, UnifiedDiff.diff(name, name + " (rendered)", expected, actual));
    }

    /** Writes {@code actual} to the file atomically (temporary file beside it, then rename). */
    public static void update(Path goldenFile, String actual) throws IOException {
        Objects.requireNonNull(actual, "actual");
        Path target = goldenFile.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path temp = parent.resolve(AtomicFiles.hiddenName(target, "tmp"));
        try {
            AtomicFiles.writeSynced(temp, actual);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            AtomicFiles.deleteTreeAfter(e, temp);
            throw AtomicFiles.naming(e, temp, target);
        } catch (RuntimeException e) {
            AtomicFiles.deleteTreeAfter(e, temp);
            throw e;
        }
        AtomicFiles.syncDirectory(parent);
    }
}
