package dev.redisgen.emit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Locale;

/** File-system steps shared by {@link OutputDir} and {@link Golden}: synced writes, renames, cleanup. */
final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /**
     * A hidden name beside {@code target} for a temporary file or directory. Not
     * {@code Files.createTemp*}: those make owner-only (0600/0700) entries, and the result must get
     * the user's normal umask permissions.
     */
    static String hiddenName(Path target, String purpose) {
        return "." + target.getFileName() + ".redisgen-" + purpose + "-" + Long.toUnsignedString(RANDOM.nextLong(), 36).toLowerCase(Locale.ROOT);
    }

    /** Writes a new file (never an existing one) as UTF-8 and forces it to disk. */
    static void writeSynced(Path file, String content) throws IOException {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(content);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    /** Forces a directory's entries (new names, renames) to disk, where the platform can. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the rename stays atomic, only its
            // durability across a power cut is then up to the file system.
        }
    }

    /**
     * Copies a file, a symbolic link (as a link) or a directory tree to {@code to}, which must not exist,
     * with permissions and times; for the hidden entries an output directory keeps ({@code .gitkeep}).
     */
    static void copyTree(Path from, Path to) throws IOException {
        Files.copy(from, to, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
                for (Path entry : entries) {
                    copyTree(entry, to.resolve(entry.getFileName().toString()));
                }
            }
        }
    }

    /** Deletes a file or a directory tree without following symbolic links; absent is fine. */
    static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path entry : entries) {
                    deleteTree(entry);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    /**
     * {@code e} about the file the user named instead of our temporary one beside it (the user never
     * saw that name): same kind of exception, so callers describe it as before.
     */
    static IOException naming(IOException e, Path temp, Path target) {
        if (!(e instanceof FileSystemException f) || f.getFile() == null || !Path.of(f.getFile()).startsWith(temp)) {
            return e;
        }
        String reason = (f.getReason() == null ? "cannot write" : f.getReason()) + " in " + target.getParent();
        IOException named = e instanceof AccessDeniedException
                ? new AccessDeniedException(target.toString(), null, reason)
                : new FileSystemException(target.toString(), null, reason);
        named.initCause(e);
        return named;
    }

    /** Cleanup on a path that already failed: the first error is the one to report. */
    static void deleteTreeAfter(Throwable failure, Path path) {
        try {
            deleteTree(path);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
