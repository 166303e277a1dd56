package dev.redisgen.profile;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads a profile strictly: a file, a built-in, or text. Every problem becomes a {@link Diagnostic} with
 * file:line:col and a fix, thrown together as one {@link InputException} (SPEC: bad input, exit 2, never a
 * stack trace, no partial output).
 */
public final class ProfileLoader {
    static final String EMPTY_PROFILE = "empty-profile";
    static final String NO_SUCH_FILE = "no-such-file";
    static final String UNREADABLE_FILE = "unreadable-file";
    static final String NO_SUCH_PROFILE = "no-such-profile";
    static final String TOO_LARGE = "profile-too-large";
    static final String AMBIGUOUS_PROFILE = "ambiguous-profile";
    /** What diagnostics call standard input. */
    public static final String STDIN_NAME = "<stdin>";
    private static final String BUILTIN_PREFIX = "builtin:";

    /** The built-in profiles (SPEC "Built-in profiles"), sorted; one list so `profiles` and the jar agree. */
    private static final List<String> BUILTINS = List.of("airflow", "analytics-cluster", "gateway-ha", "jewelry-shop");
    private static final String BUILTIN_RESOURCE = "redisgen/profiles/";
    private static final String SKELETON = "start from `name: my-redis`, `namespace: {name: my-redis}` and "
            + "`deployments: [{name: redis, topology: standalone}]`, or print a built-in profile with `redisgen profiles`";

    private static final String GLOBAL_TAG = "Global tag is not allowed:";

    private ProfileLoader() {
    }

    public static List<String> builtinNames() {
        return BUILTINS;
    }

    /** What a {@code --profile} reference names; decided by how it is written, see {@link #kind}. */
    public enum Kind { BUILTIN, FILE, DIRECTORY, STDIN }

    /**
     * How a reference is read. The way it is written decides; what lies in the current directory can only
     * make it ambiguous, never change it: {@code -} is standard input; a reference with a '/' or ending in .yaml/.yml is a path (a
     * directory means every profile in it); {@code builtin:NAME} is the built-in NAME; any other word is a
     * built-in name. A word that is also the name of a file or directory here is refused as ambiguous
     * (a file named {@code airflow} must not silently stand in for the built-in, nor the other way round).
     */
    public static Kind kind(String ref) {
        if (ref.isBlank()) {
            // Path.of("") is the current directory: the message would name an empty file.
            throw fail(NO_SUCH_FILE, "the profile name is empty", "name a built-in profile (" + String.join(", ", BUILTINS)
                    + "), a profile file, a directory of profiles, or - for standard input", Location.ofFile("--profile"));
        }
        if (ref.equals("-")) {
            return Kind.STDIN;
        }
        if (ref.startsWith(BUILTIN_PREFIX)) {
            return Kind.BUILTIN;
        }
        if (looksLikePath(ref)) {
            return Files.isDirectory(path(ref)) ? Kind.DIRECTORY : Kind.FILE;
        }
        boolean onDisk;
        try {
            onDisk = Files.exists(Path.of(ref));
        } catch (InvalidPathException e) {
            onDisk = false;
        }
        if (onDisk) {
            String what = Files.isDirectory(Path.of(ref)) ? "directory" : "file";
            String readIt = what.equals("directory") ? "./" + ref + "/" : "./" + ref;
            if (BUILTINS.contains(ref)) {
                throw fail(AMBIGUOUS_PROFILE, "'" + ref + "' is both a built-in profile and a " + what + " in the current directory",
                        "write " + readIt + " to read the " + what + ", or " + BUILTIN_PREFIX + ref + " for the built-in profile",
                        Location.ofFile(ref));
            }
            throw fail(NO_SUCH_PROFILE, "no built-in profile '" + ref + "'" + Suggest.didYouMean(ref, BUILTINS) + " (a word names a built-in "
                    + "profile; the " + what + " '" + ref + "' here is read only as a path)", "write " + readIt + " to read the " + what,
                    Location.ofFile(ref));
        }
        return Kind.BUILTIN;
    }

    /** The texts a reference names, in order: one for a built-in, a file or stdin; every profile of a directory. */
    public static List<LoadedText> read(String ref, InputStream stdin) {
        return switch (kind(ref)) {
            case BUILTIN -> List.of(builtinText(builtinName(ref)));
            case FILE -> List.of(readFile(path(ref), true));
            case DIRECTORY -> readDirectory(ref, path(ref));
            case STDIN -> List.of(readStdin(stdin, true));
        };
    }

    /** A values file (-f): a path, or {@code -} for standard input. */
    public static LoadedText readValues(String ref, InputStream stdin) {
        if (ref.isBlank()) {
            throw fail(NO_SUCH_FILE, "the values file name is empty", "name a values file, or - for standard input",
                    Location.ofFile("--values"));
        }
        return ref.equals("-") ? readStdin(stdin, false) : readFile(path(ref), false);
    }

    /** A reference that names one profile, loaded without overrides (see {@link #kind} for the rules). */
    public static LoadedProfile resolve(String ref) {
        return switch (kind(ref)) {
            case BUILTIN -> loadBuiltin(builtinName(ref));
            case FILE, DIRECTORY -> load(path(ref));
            case STDIN -> throw fail(NO_SUCH_FILE, "this command reads no profile from standard input ('-')",
                    "save the profile to a file and give its path", Location.ofFile(STDIN_NAME));
        };
    }

    public static LoadedProfile load(Path file) {
        LoadedText text = readFile(file, true);
        return parse(text.displayName(), text.text());
    }

    /** Binds a profile read by {@link #read}, with the overrides applied over it. */
    public static LoadedProfile load(LoadedText text, Overrides overrides) {
        return parse(text.displayName(), text.text(), overrides);
    }

    private static boolean looksLikePath(String ref) {
        return ref.contains("/") || ref.contains(java.io.File.separator) || ref.endsWith(".yaml") || ref.endsWith(".yml");
    }

    private static String builtinName(String ref) {
        return ref.startsWith(BUILTIN_PREFIX) ? ref.substring(BUILTIN_PREFIX.length()) : ref;
    }

    private static Path path(String ref) {
        try {
            return Path.of(ref);
        } catch (InvalidPathException e) {
            throw fail(NO_SUCH_FILE, "no such file: " + ref, "check the path, or use a built-in profile: " + String.join(", ", BUILTINS),
                    Location.ofFile(ref));
        }
    }

    private static LoadedText readFile(Path file, boolean profile) {
        String name = file.toString();
        Location where = Location.ofFile(name);
        if (Files.isDirectory(file)) {
            throw fail(UNREADABLE_FILE, name + " is a directory, not a " + (profile ? "profile" : "values") + " file",
                    profile ? "name a .yaml file inside it" : "name a values file inside it", where);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // No more than one byte past the limit: a wrong path to a large file fails fast.
            bytes = in.readNBytes(Yamls.MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw fail(NO_SUCH_FILE, "no such file: " + name,
                    profile ? "check the path, or use a built-in profile: " + String.join(", ", BUILTINS) : "check the path", where);
        } catch (AccessDeniedException e) {
            throw fail(UNREADABLE_FILE, "cannot read " + name + ": permission denied", "make the file readable", where);
        } catch (IOException e) {
            throw fail(UNREADABLE_FILE, "cannot read " + name + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    "check the file", where);
        }
        if (bytes.length > Yamls.MAX_BYTES) {
            throw tooLarge(name, profile ? "profile" : "values file", bytes);
        }
        return new LoadedText(name, decode(bytes, name));
    }

    /**
     * Every {@code *.yaml} and {@code *.yml} file directly in {@code dir}, sorted by name (not subdirectories,
     * not hidden files such as an editor's swap files); every unreadable one reported at once.
     */
    private static List<LoadedText> readDirectory(String ref, Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String n = entry.getFileName().toString();
                if (!n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(entry)) {
                    names.add(n);
                }
            }
        } catch (AccessDeniedException e) {
            throw fail(UNREADABLE_FILE, "cannot read the directory " + ref + ": permission denied", "make the directory readable",
                    Location.ofFile(ref));
        } catch (IOException e) {
            throw fail(UNREADABLE_FILE, "cannot read the directory " + ref + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    "check the directory", Location.ofFile(ref));
        }
        if (names.isEmpty()) {
            throw fail(NO_SUCH_FILE, ref + " holds no profile (no *.yaml or *.yml file)", "put profile files in it, or name a profile file",
                    Location.ofFile(ref));
        }
        // String order, not the locale's: the same order on every machine.
        Collections.sort(names);
        List<LoadedText> texts = new ArrayList<>();
        List<Diagnostic> errors = new ArrayList<>();
        for (String n : names) {
            try {
                texts.add(readFile(dir.resolve(n), true));
            } catch (InputException e) {
                errors.addAll(e.diagnostics());
            }
        }
        if (!errors.isEmpty()) {
            throw new InputException(errors);
        }
        return texts;
    }

    private static LoadedText readStdin(InputStream stdin, boolean profile) {
        byte[] bytes;
        try {
            // As for a file: no more than one byte past the limit, so an endless pipe fails fast.
            bytes = stdin.readNBytes(Yamls.MAX_BYTES + 1);
        } catch (IOException e) {
            throw fail(UNREADABLE_FILE, "cannot read standard input" + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    "pipe a profile into redisgen, e.g. `redisgen profiles show airflow | redisgen lint --profile -`",
                    Location.ofFile(STDIN_NAME));
        }
        if (bytes.length > Yamls.MAX_BYTES) {
            throw tooLarge(STDIN_NAME, profile ? "profile" : "values file", bytes);
        }
        return new LoadedText(STDIN_NAME, decode(bytes, STDIN_NAME));
    }

    public static LoadedProfile loadBuiltin(String name) {
        LoadedText text = builtinText(name);
        return parse(text.displayName(), text.text());
    }

    private static LoadedText builtinText(String name) {
        if (!BUILTINS.contains(name)) {
            throw fail(NO_SUCH_PROFILE, "no built-in profile '" + name + "'" + Suggest.didYouMean(name, BUILTINS),
                    "use one of: " + String.join(", ", BUILTINS) + "; or give a path to a profile file", Location.ofFile(name));
        }
        String displayName = "profiles/" + name + ".yaml";
        try (InputStream in = ProfileLoader.class.getClassLoader().getResourceAsStream(BUILTIN_RESOURCE + name + ".yaml")) {
            if (in == null) {
                // The list names it but the jar lacks it: a build problem, reported like a missing profile.
                throw fail(NO_SUCH_PROFILE, "built-in profile '" + name + "' is missing from this build (" + displayName + ")",
                        "rebuild redisgen from a checkout that has " + displayName, Location.ofFile(displayName));
            }
            return new LoadedText(displayName, decode(in.readAllBytes(), displayName));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in profile " + displayName, e);
        }
    }

    /** Binds profile text; {@code displayName} is what diagnostics and the source map call the file. */
    public static LoadedProfile parse(String displayName, String text) {
        return parse(displayName, text, Overrides.NONE);
    }

    /**
     * Binds profile text with {@code overrides} merged over it first, so every check of the binder and every
     * later rule sees the merged document, and each value locates to the input that supplied it.
     */
    public static LoadedProfile parse(String displayName, String text, Overrides overrides) {
        Node root = compose(displayName, "profile", text);
        if (root == null || (root instanceof ScalarNode && root.getTag().equals(Tag.NULL))) {
            throw fail(EMPTY_PROFILE, "the profile is empty", SKELETON, new Location(displayName, 1, 1));
        }
        Origins origins = new Origins(displayName);
        List<Diagnostic> errors = new ArrayList<>();
        if (!overrides.isEmpty() && root instanceof MappingNode mapping) {
            // Not over a profile whose root is not a mapping: the binder reports that, and an override must not hide it.
            root = overrides.apply(mapping, origins, errors);
        }
        Binder binder = new Binder(origins);
        Object profile = binder.bind(Profile.class, root);
        errors.addAll(binder.errors());
        LoadedProfile loaded = profile == null ? null : new LoadedProfile((Profile) profile, binder.sourceMap(), displayName, text);
        if (!errors.isEmpty()) {
            // With the profile as far as it binds (each broken value left out), for lint's single pass.
            throw new ProfileLoadException(binder.sorted(errors), loaded);
        }
        return loaded;
    }

    /**
     * One YAML document's root node (null for nothing but comments), or the syntax error as an {@link InputException}.
     * The one way every input becomes YAML (a profile, a values file, a --set value), so each is held to the
     * size limit here, whatever read it; {@code what} names the input in that refusal.
     */
    static Node compose(String displayName, String what, String text) {
        // UTF-8 takes at least one byte per UTF-16 char and at most three: only a long text needs counting.
        if ((long) text.length() * 3 > Yamls.MAX_BYTES) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Yamls.MAX_BYTES) {
                throw tooLarge(displayName, what, bytes);
            }
        }
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        try {
            return Yamls.compose(body);
        } catch (MarkedYAMLException e) {
            throw new InputException(syntaxError(displayName, e));
        } catch (ReaderException e) {
            throw fail(Binder.YAML_SYNTAX, "character U+" + String.format(java.util.Locale.ROOT, "%04X", e.getCodePoint())
                    + " is not allowed in YAML", "remove it or write it as an escape inside double quotes",
                    position(displayName, body, e.getPosition()));
        } catch (YAMLException e) {
            // Not tied to a position: the alias limit (the size limit is checked above, with its location).
            throw fail(Binder.YAML_SYNTAX, clean(e.getMessage()), "shorten the profile; a profile is plain data of a few hundred lines",
                    new Location(displayName, 1, 1));
        }
    }

    /**
     * Over {@link Yamls#MAX_BYTES}: located where the text passes the limit (line, and column in characters),
     * so a user can see what made it that large.
     */
    private static InputException tooLarge(String name, String what, byte[] bytes) {
        // The character that holds the first byte past the limit: back from a UTF-8 continuation byte (10xxxxxx).
        int end = Yamls.MAX_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        int line = 1;
        int column = 1;
        for (int i = 0; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                line++;
                column = 1;
            } else if ((b & 0xC0) != 0x80) {
                column++;
            }
        }
        return fail(TOO_LARGE, "the " + what + " passes the limit of " + (Yamls.MAX_BYTES >> 20) + " MiB (" + Yamls.MAX_BYTES
                + " bytes) here; a profile is a few KiB", "check that this is the " + what + " you meant; keep large data "
                + "(certificates, scripts, dashboards) out of it", new Location(name, line, column));
    }

    /** Strict UTF-8: a profile saved in Latin-1 must fail here rather than bind mangled names. */
    private static String decode(byte[] bytes, String name) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(UNREADABLE_FILE, name + " is not UTF-8 text", "save the file as UTF-8", Location.ofFile(name));
        }
    }

    private static Diagnostic syntaxError(String file, MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        Location where = mark == null ? new Location(file, 1, 1) : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
        String problem = clean(e.getProblem() == null ? e.getContext() : e.getProblem());
        if (problem.startsWith(GLOBAL_TAG)) {
            // snakeyaml's TagInspector refuses global tags (!!python/object...) while parsing; same rule as the Binder's.
            String tag = problem.substring(GLOBAL_TAG.length()).strip();
            String shown = tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
            return Diagnostic.error(Binder.WRONG_TYPE, "the YAML tag '" + shown + "' is not allowed; a profile is plain data",
                    "remove the tag '" + shown + "'", where);
        }
        String message = problem;
        if (e.getProblem() != null && e.getContext() != null) {
            Mark c = e.getContextMark();
            message = problem.startsWith("but ")
                    // The composer words it as context "expected X" + problem "but found Y": read it in that order.
                    ? clean(e.getContext()) + ", " + problem
                    : problem + " (" + clean(e.getContext()) + (c == null ? "" : " that starts on line " + (c.getLine() + 1)) + ")";
        }
        // snakeyaml names some tokens with an empty string ("but got  (while parsing a flow mapping"):
        // the usual cause is a '{' or '[' that is never closed before the next line.
        message = message.replaceAll("but got\\s+(?=\\(|$)", "but it is not closed on this line ").strip();
        String fix;
        if (message.contains("TAB")) {
            message = "found a tab character where YAML expects spaces";
            fix = "indent with spaces; YAML does not allow tabs for indentation";
        } else if (message.contains("single document")) {
            fix = "a profile is one YAML document; remove the '---' separator and what follows, or split it into two files";
        } else {
            fix = "check the indentation and quoting on this line and the line before; quote values that contain ': ' or start with '{', '[', '*', '&' or '!'";
        }
        return Diagnostic.error(Binder.YAML_SYNTAX, message, fix, where);
    }

    /** snakeyaml's texts without its own position lines, so the message is one line. */
    private static String clean(String text) {
        if (text == null) {
            return "invalid YAML";
        }
        String firstLine = text.strip().lines().findFirst().orElse("invalid YAML");
        return firstLine.endsWith(".") || firstLine.endsWith(":") ? firstLine.substring(0, firstLine.length() - 1) : firstLine;
    }

    private static Location position(String file, String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int index = 0;
        for (int i = 0; i < text.length() && index < codePointIndex; i += Character.charCount(text.codePointAt(i)), index++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Location(file, line, column);
    }

    private static InputException fail(String ruleId, String message, String fix, Location location) {
        return new InputException(Diagnostic.error(ruleId, message, fix, location));
    }
}
