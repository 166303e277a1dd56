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
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
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

    /** The built-in profiles (SPEC "Built-in profiles"), sorted; one list so `profiles` and the jar agree. */
    private static final List<String> BUILTINS = List.of("airflow", "analytics-cluster", "gateway-ha", "jewelry-shop");
    private static final String BUILTIN_RESOURCE = "redisgen/profiles/";
    /** Generous for a profile (a few KiB), small enough that a wrong path to a large file fails fast. */
    private static final long MAX_FILE_BYTES = 4L << 20;
    private static final String SKELETON = "start from `name: my-redis`, `namespace: {name: my-redis}` and "
            + "`deployments: [{name: redis, topology: standalone}]`, or print a built-in profile with `redisgen profiles`";

    private static final String GLOBAL_TAG = "Global tag is not allowed:";

    private ProfileLoader() {
    }

    public static List<String> builtinNames() {
        return BUILTINS;
    }

    /** A path (anything that exists, contains '/' or ends in .yaml/.yml) or else a built-in name. */
    public static LoadedProfile resolve(String ref) {
        Path path;
        try {
            path = Path.of(ref);
        } catch (InvalidPathException e) {
            throw fail(NO_SUCH_FILE, "no such file: " + ref, "check the path, or use a built-in profile: " + String.join(", ", BUILTINS),
                    Location.ofFile(ref));
        }
        if (Files.exists(path) || ref.contains("/") || ref.endsWith(".yaml") || ref.endsWith(".yml")) {
            return load(path);
        }
        return loadBuiltin(ref);
    }

    public static LoadedProfile load(Path file) {
        String name = file.toString();
        Location where = Location.ofFile(name);
        if (Files.isDirectory(file)) {
            throw fail(UNREADABLE_FILE, name + " is a directory, not a profile file", "name a .yaml file inside it", where);
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw fail(UNREADABLE_FILE, name + " is larger than " + (MAX_FILE_BYTES >> 20) + " MiB; a profile is a few hundred lines",
                        "check that this is the profile you meant", where);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw fail(NO_SUCH_FILE, "no such file: " + name,
                    "check the path, or use a built-in profile: " + String.join(", ", BUILTINS), where);
        } catch (AccessDeniedException e) {
            throw fail(UNREADABLE_FILE, "cannot read " + name + ": permission denied", "make the file readable", where);
        } catch (IOException e) {
            throw fail(UNREADABLE_FILE, "cannot read " + name + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    "check the file", where);
        }
        return parse(name, decode(bytes, name));
    }

    public static LoadedProfile loadBuiltin(String name) {
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
            return parse(displayName, decode(in.readAllBytes(), displayName));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in profile " + displayName, e);
        }
    }

    /** Binds profile text; {@code displayName} is what diagnostics and the source map call the file. */
    public static LoadedProfile parse(String displayName, String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        Node root;
        try {
            root = Yamls.compose(body);
        } catch (MarkedYAMLException e) {
            throw new InputException(syntaxError(displayName, e));
        } catch (ReaderException e) {
            throw fail(Binder.YAML_SYNTAX, "character U+" + String.format(java.util.Locale.ROOT, "%04X", e.getCodePoint())
                    + " is not allowed in YAML", "remove it or write it as an escape inside double quotes",
                    position(displayName, body, e.getPosition()));
        } catch (YAMLException e) {
            // Not tied to a position: the code-point limit or the alias limit.
            throw fail(Binder.YAML_SYNTAX, clean(e.getMessage()), "shorten the profile; a profile is plain data of a few hundred lines",
                    new Location(displayName, 1, 1));
        }
        if (root == null || (root instanceof ScalarNode && root.getTag().equals(Tag.NULL))) {
            throw fail(EMPTY_PROFILE, "the profile is empty", SKELETON, new Location(displayName, 1, 1));
        }
        Binder binder = new Binder(displayName);
        Object profile = binder.bind(Profile.class, root);
        List<Diagnostic> errors = binder.errors();
        LoadedProfile loaded = profile == null ? null : new LoadedProfile((Profile) profile, binder.sourceMap(), displayName, text);
        if (!errors.isEmpty()) {
            throw new ProfileLoadException(errors, loaded);
        }
        return loaded;
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
