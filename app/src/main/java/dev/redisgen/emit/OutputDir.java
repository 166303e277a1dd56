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
 *
 * <p>Several groups of objects (the profiles of one {@code render} call) go one subdirectory per group, each
 * laid out as above, under a kustomization.yaml that lists the subdirectories in order ({@link #grouped}).
 */
public final class OutputDir {

    static final String KUSTOMIZATION = "kustomization.yaml";
    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*\\.yaml");
    /** A group's subdirectory: a DNS label, as profile names are. */
    private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

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

    /**
     * One subdirectory per group, in the given order: {@code group/file} to content, each group's files as
     * {@link #files} makes them, then a kustomization.yaml listing the subdirectories (so {@code kubectl
     * kustomize DIR} yields every group in order).
     *
     * @param groups group name (a DNS label) to its {@link #files} map
     */
    public static Map<String, String> grouped(Map<String, Map<String, String>> groups) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> group : groups.entrySet()) {
            if (!GROUP_NAME.matcher(group.getKey()).matches()) {
                throw new IllegalArgumentException("not a DNS label, so not a subdirectory name: " + group.getKey());
            }
            group.getValue().forEach((name, text) -> files.put(group.getKey() + "/" + name, text));
        }
        files.put(KUSTOMIZATION, Kustomization.of(new ArrayList<>(groups.keySet())).text());
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
            int slash = name.indexOf('/');
            if (!FILE_NAME.matcher(name.substring(slash + 1)).matches()
                    || (slash >= 0 && !GROUP_NAME.matcher(name.substring(0, slash)).matches())) {
                throw new IllegalArgumentException("not a plain lowercase .yaml file name: " + name);
            }
        }
        boolean replace = checkOurs(dir.toString(), target);
        Files.createDirectories(parent);
        Path fresh = parent.resolve(AtomicFiles.hiddenName(target, "new"));
        Files.createDirectory(fresh);
        try {
            Set<Path> groups = new TreeSet<>();
            for (Map.Entry<String, String> file : files.entrySet()) {
                checkpoint.reached("file " + file.getKey());
                Path path = fresh.resolve(file.getKey());
                if (!path.getParent().equals(fresh) && groups.add(path.getParent())) {
                    Files.createDirectory(path.getParent());
                }
                AtomicFiles.writeSynced(path, file.getValue());
            }
            for (Path group : groups) {
                AtomicFiles.syncDirectory(group);
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
        checkContents(shown, target, "");
        return true;
    }

    /**
     * Refuses {@code dir} unless it is empty or holds exactly what its kustomization.yaml lists: object files
     * and, at the top ({@code sub} empty), subdirectories of a grouped output that pass the same check.
     *
     * @param sub "" for {@code shown} itself, else the subdirectory's name and a slash, for the messages
     */
    private static void checkContents(String shown, Path target, String sub) throws IOException {
        Set<String> entries = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(target)) {
            for (Path entry : stream) {
                entries.add(entry.getFileName().toString());
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        String notOurs = shown + " is not empty and not a previous redisgen output";
        String fix = "choose a new or empty directory for --output-dir, or move its contents away";
        Path kustomization = target.resolve(KUSTOMIZATION);
        if (!Files.isRegularFile(kustomization, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputDirException(shown, notOurs + " (" + (sub.isEmpty() ? "it has" : sub + " has") + " no " + KUSTOMIZATION + ")", fix);
        }
        String text = new String(Files.readAllBytes(kustomization), StandardCharsets.UTF_8);
        if (!text.startsWith(Kustomization.HEADER)) {
            throw new OutputDirException(shown, notOurs + " (" + (sub.isEmpty() ? "its " : sub) + KUSTOMIZATION + " was not generated by redisgen)", fix);
        }
        Set<String> listed = new HashSet<>();
        try {
            JsonNode resources = YamlWriter.MAPPER.readTree(text).path("resources");
            for (JsonNode resource : resources) {
                listed.add(resource.asText());
            }
        } catch (IOException e) {
            throw new OutputDirException(shown, notOurs + " (" + (sub.isEmpty() ? "its " : sub) + KUSTOMIZATION + " does not parse)", fix);
        }
        for (String entry : entries) {
            Path path = target.resolve(entry);
            boolean group = sub.isEmpty() && listed.contains(entry) && GROUP_NAME.matcher(entry).matches()
                    && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
            boolean ours = entry.equals(KUSTOMIZATION) || group
                    || (entry.endsWith(".yaml") && listed.contains(entry) && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
            if (!ours) {
                throw new OutputDirException(shown, notOurs + " (" + sub + entry + " is not listed in " + (sub.isEmpty() ? "its " : sub)
                        + KUSTOMIZATION + ")", fix);
            }
            if (group) {
                checkContents(shown, path, entry + "/");
            }
        }
    }
}
