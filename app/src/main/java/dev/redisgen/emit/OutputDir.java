package dev.redisgen.emit;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code render --output-dir}: one file per object plus a kustomization.yaml, swapped into place
 * atomically (SPEC "Interfaces").
 *
 * <p>Each object file is {@code <kind-lowercase>-<name>.yaml} and holds exactly
 * {@link YamlWriter#write(HasMetadata)}: one document <em>without</em> a leading {@code ---}, so a
 * file diffs cleanly and {@code cat *.yaml} is not what applies it (kustomize is).
 * kustomization.yaml lists the files in apply order with {@code sortOptions.order: fifo}, so
 * {@code kubectl apply -k} sees the same order as {@code render | kubectl apply -f -}.
 */
public final class OutputDir {

    static final String KUSTOMIZATION = "kustomization.yaml";
    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*\\.yaml");

    private OutputDir() {
    }

    /**
     * File name to content, in apply order, kustomization.yaml last.
     *
     * @param sorted objects already in apply order ({@link ApplyOrder#sort})
     * @throws IllegalStateException when two objects would share a file name
     */
    public static Map<String, String> files(List<? extends HasMetadata> sorted) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, HasMetadata> owners = new LinkedHashMap<>();
        for (HasMetadata object : sorted) {
            String name = fileName(object);
            HasMetadata owner = owners.putIfAbsent(name, object);
            if (owner != null) {
                throw new IllegalStateException(ApplyOrder.id(owner) + " and " + ApplyOrder.id(object)
                        + " would both be written to " + name + "; give them different names");
            }
            files.put(name, YamlWriter.write(object));
        }
        files.put(KUSTOMIZATION, Kustomization.of(new ArrayList<>(files.keySet())).text());
        return Collections.unmodifiableMap(files);
    }

    static String fileName(HasMetadata object) {
        String kind = Objects.requireNonNull(object.getKind(), "kind").toLowerCase(Locale.ROOT);
        String name = kind + "-" + object.getMetadata().getName() + ".yaml";
        if (!FILE_NAME.matcher(name).matches()) {
            throw new IllegalStateException(ApplyOrder.id(object) + " gives the file name " + name
                    + ", which is not a lowercase DNS-style name");
        }
        return name;
    }

    /**
     * Replaces {@code dir} with exactly {@code files}, or leaves it as it was.
     *
     * <p>Everything is written and synced into a hidden directory beside {@code dir} (same parent,
     * so renames are atomic), then swapped in: {@code dir} to a hidden backup, the new one to
     * {@code dir}, the backup deleted. On any failure the backup is renamed back and the new one
     * deleted. Parent directories are created.
     *
     * @throws OutputDirException when {@code dir} exists and is not absent, empty or a previous
     *     redisgen output (its kustomization.yaml carries our header and lists every other file)
     */
    public static void write(Path dir, Map<String, String> files) throws IOException {
        write(dir, files, step -> { });
    }

    /** A point in {@link #write} where tests make it fail, to prove the rollback. */
    @FunctionalInterface
    interface Checkpoint {
        void reached(String step) throws IOException;
    }

    static void write(Path dir, Map<String, String> files, Checkpoint checkpoint) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw new OutputDirException(dir.toString(), "cannot write output over the file-system root", "name a directory below it");
        }
        for (String name : files.keySet()) {
            if (!FILE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a plain lowercase .yaml file name: " + name);
            }
        }
        boolean replace = checkOurs(dir.toString(), target);
        Files.createDirectories(parent);
        Path fresh = parent.resolve(AtomicFiles.hiddenName(target, "new"));
        Files.createDirectory(fresh);
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                checkpoint.reached("file " + file.getKey());
                AtomicFiles.writeSynced(fresh.resolve(file.getKey()), file.getValue());
            }
            AtomicFiles.syncDirectory(fresh);
            checkpoint.reached("swap");
            if (replace) {
                swap(target, fresh, checkpoint);
            } else {
                Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.syncDirectory(parent);
            }
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTreeAfter(e, fresh);
            throw e;
        }
    }

    private static void swap(Path target, Path fresh, Checkpoint checkpoint) throws IOException {
        Path parent = target.getParent();
        Path backup = parent.resolve(AtomicFiles.hiddenName(target, "old"));
        Files.move(target, backup, StandardCopyOption.ATOMIC_MOVE);
        try {
            checkpoint.reached("install");
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.move(backup, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        AtomicFiles.syncDirectory(parent);
        try {
            AtomicFiles.deleteTree(backup);
        } catch (IOException e) {
            throw new IOException("the new output is in " + target + ", but the previous one could not be removed from "
                    + backup + "; delete it by hand", e);
        }
    }

    /**
     * True when {@code target} exists and may be replaced, false when it is absent; refuses
     * anything redisgen did not write, so a typo in --output-dir cannot wipe a user's directory.
     */
    private static boolean checkOurs(String shown, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.isSymbolicLink(target) || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputDirException(shown, shown + " exists and is not a directory",
                    "choose a new or empty directory for --output-dir");
        }
        Set<String> entries = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(target)) {
            for (Path entry : stream) {
                entries.add(entry.getFileName().toString());
            }
        }
        if (entries.isEmpty()) {
            return true;
        }
        String notOurs = shown + " is not empty and not a previous redisgen output";
        String fix = "choose a new or empty directory for --output-dir, or move its contents away";
        Path kustomization = target.resolve(KUSTOMIZATION);
        if (!Files.isRegularFile(kustomization, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputDirException(shown, notOurs + " (it has no " + KUSTOMIZATION + ")", fix);
        }
        String text = new String(Files.readAllBytes(kustomization), StandardCharsets.UTF_8);
        if (!text.startsWith(Kustomization.HEADER)) {
            throw new OutputDirException(shown, notOurs + " (its " + KUSTOMIZATION + " was not generated by redisgen)", fix);
        }
        Set<String> listed = new HashSet<>();
        try {
            JsonNode resources = YamlWriter.MAPPER.readTree(text).path("resources");
            for (JsonNode resource : resources) {
                listed.add(resource.asText());
            }
        } catch (IOException e) {
            throw new OutputDirException(shown, notOurs + " (its " + KUSTOMIZATION + " does not parse)", fix);
        }
        for (String entry : entries) {
            boolean ours = entry.equals(KUSTOMIZATION)
                    || (entry.endsWith(".yaml") && listed.contains(entry)
                            && Files.isRegularFile(target.resolve(entry), LinkOption.NOFOLLOW_LINKS));
            if (!ours) {
                throw new OutputDirException(shown, notOurs + " (" + entry + " is not listed in its " + KUSTOMIZATION + ")", fix);
            }
        }
        return true;
    }
}
