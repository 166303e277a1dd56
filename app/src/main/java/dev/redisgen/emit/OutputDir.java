package dev.redisgen.emit;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
    /** Rule ids of the refusals: not redisgen's directory, another profile's, hand-edited, not writable. */
    static final String NOT_OURS = "output-dir-not-ours";
    static final String OTHER_PROFILE = "output-dir-other-profile";
    static final String EDITED = "output-dir-edited";
    static final String UNWRITABLE = "output-dir-unwritable";
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
     * Replaces the output in {@code dir} with exactly {@code files}, or leaves it as it was.
     *
     * <p>Everything is written and synced into a hidden directory beside {@code dir} (same parent,
     * so renames are atomic), then swapped in: {@code dir} to a hidden backup, the new one to
     * {@code dir}, the backup deleted. On any failure the backup is renamed back and the new one
     * deleted. Parent directories are created. Hidden entries of {@code dir} ({@code .gitkeep},
     * {@code .gitignore}) are not redisgen's: they are copied into the new output as they are.
     * {@link OutputRecord#FILE} records the profile and a checksum of every file written, so that a
     * later render can tell another profile's output and hand edits from its own.
     *
     * @param profile the name of the profile rendered, recorded and compared with the record
     * @param force replace another profile's output or hand-edited files (never a directory that is
     *     not redisgen's output at all)
     * @throws OutputDirException when {@code dir} cannot be replaced (it is not a directory, holds
     *     files redisgen did not write, another profile's output or hand edits without {@code force}),
     *     or cannot be written; the message names {@code dir} as given, never a temporary name
     */
    public static void write(Path dir, String profile, Map<String, String> files, boolean force) throws IOException {
        write(dir, List.of(profile), files, force, (step, path) -> { });
    }

    /**
     * As {@link #write(Path, String, Map, boolean)} for the output of several profiles, {@code files} as
     * {@link #grouped} makes them. One record at the top covers the whole tree. Hidden entries are kept at
     * the top and in the subdirectory of every profile rendered again; a profile's subdirectory goes as a
     * whole when that profile is no longer rendered (which needs {@code force}: it removes that profile's
     * output). Adding a profile, or moving one profile's plain output into its subdirectory, replaces no
     * other profile's output and needs no {@code force}.
     *
     * @param profiles the profiles rendered, in order (the subdirectories' names for a grouped output)
     */
    public static void write(Path dir, List<String> profiles, Map<String, String> files, boolean force) throws IOException {
        write(dir, profiles, files, force, (step, path) -> { });
    }

    /** A point in {@link #write} where tests make it fail, to prove the rollback. */
    @FunctionalInterface
    interface Checkpoint {
        void reached(String step, Path path) throws IOException;
    }

    static void write(Path dir, List<String> profiles, Map<String, String> files, boolean force, Checkpoint checkpoint)
            throws IOException {
        String shown = dir.toString();
        if (shown.isEmpty()) {
            throw new IllegalArgumentException("an output directory needs a name");
        }
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("an output is the output of at least one profile");
        }
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw new OutputDirException(NOT_OURS, shown, "cannot write output over the file-system root", "name a directory below it");
        }
        // Subdirectories of the new output, in order of first file.
        Set<String> groups = new LinkedHashSet<>();
        for (String name : files.keySet()) {
            int slash = name.indexOf('/');
            if (!FILE_NAME.matcher(name.substring(slash + 1)).matches()
                    || (slash >= 0 && !GROUP_NAME.matcher(name.substring(0, slash)).matches())) {
                throw new IllegalArgumentException("not a plain lowercase .yaml file name: " + name);
            }
            if (slash >= 0) {
                groups.add(name.substring(0, slash));
            }
        }
        Existing existing = inspect(shown, target, profiles, groups, force);
        Path fresh = parent.resolve(AtomicFiles.hiddenName(target, "new"));
        try {
            Files.createDirectories(parent);
            checkpoint.reached("create", fresh);
            Files.createDirectory(fresh);
        } catch (IOException e) {
            throw unwritable(shown, target, fresh, e);
        }
        Path backup = null;
        try {
            for (String group : groups) {
                checkpoint.reached("group " + group, fresh.resolve(group));
                Files.createDirectory(fresh.resolve(group));
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                checkpoint.reached("file " + file.getKey(), fresh.resolve(file.getKey()));
                AtomicFiles.writeSynced(fresh.resolve(file.getKey()), file.getValue());
            }
            for (String hidden : existing.kept()) {
                checkpoint.reached("keep " + hidden, fresh.resolve(hidden));
                AtomicFiles.copyTree(target.resolve(hidden), fresh.resolve(hidden));
            }
            checkpoint.reached("record", fresh.resolve(OutputRecord.FILE));
            AtomicFiles.writeSynced(fresh.resolve(OutputRecord.FILE), OutputRecord.of(profiles, files).text());
            for (String group : groups) {
                AtomicFiles.syncDirectory(fresh.resolve(group));
            }
            AtomicFiles.syncDirectory(fresh);
            checkpoint.reached("swap", target);
            if (existing.present()) {
                backup = swap(target, fresh, checkpoint);
            } else {
                Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            }
            AtomicFiles.syncDirectory(parent);
        } catch (OutputDirException | RuntimeException e) {
            AtomicFiles.deleteTreeAfter(e, fresh);
            throw e;
        } catch (IOException e) {
            AtomicFiles.deleteTreeAfter(e, fresh);
            throw unwritable(shown, target, fresh, e);
        }
        if (backup != null) {
            try {
                AtomicFiles.deleteTree(backup);
            } catch (IOException e) {
                throw new IOException("the new output is in " + target + ", but the previous one could not be removed from "
                        + backup + "; delete it by hand", e);
            }
        }
    }

    /** Moves {@code target} to a hidden backup and {@code fresh} to {@code target}, or back on failure; returns the backup. */
    private static Path swap(Path target, Path fresh, Checkpoint checkpoint) throws IOException {
        Path backup = target.getParent().resolve(AtomicFiles.hiddenName(target, "old"));
        Files.move(target, backup, StandardCopyOption.ATOMIC_MOVE);
        try {
            checkpoint.reached("install", target);
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.move(backup, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        return backup;
    }


    /** What is in the directory now: whether it exists, and the hidden entries to carry over (paths relative to it). */
    private record Existing(boolean present, List<String> kept) {
    }

    /**
     * Whether {@code target} exists and may be replaced, and the hidden entries to keep; refuses what
     * redisgen did not write (so a typo in --output-dir cannot wipe a user's directory) and, unless
     * {@code force}, another profile's output and files changed since redisgen wrote them.
     *
     * @param groups the subdirectories of the new output: hidden entries in those of them that exist now are kept
     */
    private static Existing inspect(String shown, Path target, List<String> profiles, Set<String> groups, boolean force)
            throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return new Existing(false, List.of());
        }
        if (Files.isSymbolicLink(target) || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputDirException(NOT_OURS, shown, shown + " exists and is not a directory",
                    "choose a new or empty directory for --output-dir");
        }
        Set<String> visible = new TreeSet<>();
        List<String> kept = new ArrayList<>();
        list(target, visible, kept);
        kept.remove(OutputRecord.FILE);
        if (visible.isEmpty()) {
            // Empty, or only dotfiles such as .gitkeep: nothing of the user's is replaced.
            return new Existing(true, List.copyOf(kept));
        }
        OutputRecord record = OutputRecord.read(target.resolve(OutputRecord.FILE));
        if (record == null) {
            checkEarlierOutput(shown, target, visible, "");
        } else {
            checkRecord(shown, target, visible, record, profiles, force);
        }
        for (String group : groups) {
            Path sub = target.resolve(group);
            if (visible.contains(group) && Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
                // The subdirectory of a profile rendered again: its own dotfiles stay with it.
                List<String> hidden = new ArrayList<>();
                list(sub, new TreeSet<>(), hidden);
                hidden.forEach(h -> kept.add(group + "/" + h));
            }
        }
        return new Existing(true, List.copyOf(kept));
    }

    /** The names in {@code dir}: visible ones into {@code visible}, hidden ones (sorted) into {@code hidden}. */
    private static void list(Path dir, Set<String> visible, List<String> hidden) throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    found.add(name);
                } else {
                    visible.add(name);
                }
            }
        }
        Collections.sort(found);
        hidden.addAll(found);
    }

    /**
     * Against the record: refuses, unless {@code force}, an output that holds a profile this render does not
     * write (its output would go) and files that differ from what was recorded (edited, or added by hand).
     */
    private static void checkRecord(String shown, Path target, Set<String> visible, OutputRecord record, List<String> profiles,
            boolean force) throws IOException {
        List<String> dropped = new ArrayList<>(record.profiles());
        dropped.removeAll(profiles);
        if (!force && !dropped.isEmpty()) {
            if (record.profiles().size() == 1 && profiles.size() == 1) {
                String was = dropped.get(0);
                String now = profiles.get(0);
                throw new OutputDirException(OTHER_PROFILE, shown, shown + " holds the output of profile '" + was + "', not of '" + now + "'",
                        "give " + now + " its own --output-dir, or add --force to replace " + was + "'s output");
            }
            boolean one = dropped.size() == 1;
            throw new OutputDirException(OTHER_PROFILE, shown, shown + " holds the output of " + (one ? "profile " : "profiles ")
                            + quoted(dropped) + ", which this render (of " + quoted(profiles) + ") would remove",
                    "render " + (one ? "it" : "them") + " too, give this render its own --output-dir, or add --force to remove "
                            + (one ? dropped.get(0) + "'s output" : "their output"));
        }
        List<String> changed = new ArrayList<>();
        for (String entry : visible) {
            Path path = target.resolve(entry);
            if (record.hasGroup(entry) && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Set<String> inside = new TreeSet<>();
                list(path, inside, new ArrayList<>());
                for (String name : inside) {
                    compare(target, entry + "/" + name, record, changed);
                }
            } else {
                compare(target, entry, record, changed);
            }
        }
        if (!force && !changed.isEmpty()) {
            int shownCount = Math.min(changed.size(), 5);
            String list = String.join(", ", changed.subList(0, shownCount))
                    + (changed.size() > shownCount ? " and " + (changed.size() - shownCount) + " more" : "");
            throw new OutputDirException(EDITED, shown,
                    shown + " has files that differ from what redisgen wrote there: " + list,
                    "put the change into the profile (a re-render replaces hand edits), or add --force to discard "
                            + (changed.size() == 1 ? "it" : "them"));
        }
    }

    /** Adds {@code name} (relative to {@code target}) to {@code changed} when the record does not hold it as it is. */
    private static void compare(Path target, String name, OutputRecord record, List<String> changed) throws IOException {
        String recorded = record.checksums().get(name);
        Path file = target.resolve(name);
        if (recorded == null) {
            changed.add(name + " (added)");
        } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !recorded.equals(OutputRecord.sha256(Files.readAllBytes(file)))) {
            changed.add(name + " (edited)");
        }
    }

    private static String quoted(List<String> names) {
        return "'" + String.join("', '", names) + "'";
    }

    /**
     * A directory without the record: an output of a redisgen that did not write one yet is still
     * recognised by its kustomization.yaml, which carries our header and lists every other visible entry:
     * object files and, at the top ({@code sub} empty), the subdirectories of a grouped output, which must
     * pass the same check.
     *
     * @param visible the entries of {@code target} that are not hidden (hidden ones are kept, never judged)
     * @param sub "" for {@code shown} itself, else the subdirectory's name and a slash, for the messages
     */
    private static void checkEarlierOutput(String shown, Path target, Set<String> visible, String sub) throws IOException {
        if (visible.isEmpty()) {
            return;
        }
        String notOurs = shown + " is not empty and not a previous redisgen output";
        String fix = "choose a new or empty directory for --output-dir, or move its contents away";
        String its = sub.isEmpty() ? "its " : sub;
        Path kustomization = target.resolve(KUSTOMIZATION);
        if (!Files.isRegularFile(kustomization, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputDirException(NOT_OURS, shown, notOurs + " (" + (sub.isEmpty() ? "it has" : sub + " has") + " no "
                    + KUSTOMIZATION + ")", fix);
        }
        String text = new String(Files.readAllBytes(kustomization), StandardCharsets.UTF_8);
        if (!text.startsWith(Kustomization.HEADER)) {
            throw new OutputDirException(NOT_OURS, shown, notOurs + " (" + its + KUSTOMIZATION + " was not generated by redisgen)", fix);
        }
        Set<String> listed = new HashSet<>();
        try {
            JsonNode resources = YamlWriter.mapper().readTree(text).path("resources");
            for (JsonNode resource : resources) {
                listed.add(resource.asText());
            }
        } catch (IOException e) {
            throw new OutputDirException(NOT_OURS, shown, notOurs + " (" + its + KUSTOMIZATION + " does not parse)", fix);
        }
        for (String entry : visible) {
            Path path = target.resolve(entry);
            boolean group = sub.isEmpty() && listed.contains(entry) && GROUP_NAME.matcher(entry).matches()
                    && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
            boolean ours = entry.equals(KUSTOMIZATION) || group
                    || (entry.endsWith(".yaml") && listed.contains(entry) && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
            if (!ours) {
                throw new OutputDirException(NOT_OURS, shown, notOurs + " (" + sub + entry + " is not listed in " + its + KUSTOMIZATION + ")",
                        fix);
            }
            if (group) {
                Set<String> inside = new TreeSet<>();
                list(path, inside, new ArrayList<>());
                checkEarlierOutput(shown, path, inside, entry + "/");
            }
        }
    }

    /**
     * A file-system failure while writing, told about the directory the user named: the temporary
     * directory beside it is our business, its parent and the reason are the user's.
     */
    private static OutputDirException unwritable(String shown, Path target, Path fresh, IOException e) {
        Path parent = target.getParent();
        String file = e instanceof FileSystemException f ? f.getFile() : null;
        boolean ours = file == null || Path.of(file).startsWith(fresh);
        Path where = ours ? parent : Path.of(file);
        String reason;
        if (e instanceof AccessDeniedException) {
            reason = "permission denied in " + where;
        } else if (e instanceof FileAlreadyExistsException) {
            reason = where + " exists and is not a directory";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            reason = f.getReason() + (ours ? " in " : ": ") + where;
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        String fix = e instanceof AccessDeniedException
                ? "make " + where + " writable for this user, or choose another --output-dir"
                : "choose another --output-dir, or fix " + where;
        OutputDirException refused = new OutputDirException(UNWRITABLE, shown, "cannot write " + shown + ": " + reason, fix);
        refused.initCause(e);
        return refused;
    }
}
