package dev.redisgen.cli;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.profile.LoadedProfile;
import dev.redisgen.profile.LoadedText;
import dev.redisgen.profile.Overrides;
import dev.redisgen.profile.ProfileLoader;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Which profiles a command works on, and the overrides applied to each of them: {@code --profile} (repeatable:
 * a built-in name, a file, a directory of profiles, or {@code -} for stdin), {@code --all}, {@code -f/--values}
 * and {@code --set}. A picocli mixin, so every command that reads profiles (render, lint, check, explain) has
 * the same options with the same meaning, and loads through {@link #load}.
 */
final class Selection {
    @Option(names = "--profile", paramLabel = "NAME|FILE|DIR|-",
            description = {"A built-in profile name, a profile file, a directory (each *.yaml and *.yml in it, by name) or - for "
                    + "stdin. Repeatable; profiles are taken in the order given. A path has a '/' or ends in .yaml or .yml; "
                    + "any other word is a built-in name (builtin:NAME says so explicitly)."})
    List<String> profiles = new ArrayList<>();

    @Option(names = "--all", description = "Every built-in profile (see `redisgen profiles`).")
    boolean all;

    @Option(names = {"-f", "--values"}, paramLabel = "FILE",
            description = "A values file (or - for stdin) merged over each profile: mappings field by field, lists and other values "
                    + "replaced, `field: null` back to the default. Repeatable; later files win.")
    List<String> values = new ArrayList<>();

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Set one value over each profile, after the values files, e.g. deployments[0].redis.maxmemory=512mb. "
                    + "VALUE is read as YAML, as if written in the profile. Repeatable; later ones win.")
    List<String> sets = new ArrayList<>();

    /**
     * The selected profiles, loaded with the overrides, in order.
     *
     * @param grouped  the selection can name several profiles (more than one --profile, a directory, --all), so an
     *                 output directory gets one subdirectory per profile, whatever the count today
     * @param complete the selection is a whole set (--all or a directory): a golden file no profile in it renders
     *                 is an orphan
     */
    record Selected(List<LoadedProfile> profiles, boolean grouped, boolean complete) {
    }

    /**
     * Reads every profile and every override; all their problems are reported together (exit 2) before any
     * command does anything. With several profiles, a problem an override causes in one of them says which.
     */
    Selected load(CommandSpec spec) {
        Read read = read(spec, false);
        List<Diagnostic> errors = new ArrayList<>();
        List<LoadedProfile> loaded = new ArrayList<>();
        for (Pending p : read.profiles()) {
            try {
                loaded.add(p.load().get());
            } catch (InputException e) {
                errors.addAll(p.attribute(e.diagnostics()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InputException(errors);
        }
        return new Selected(List.copyOf(loaded), read.grouped(), read.complete());
    }

    /**
     * One selected profile, read but not yet bound: for lint, which binds it itself so that it can judge what binds
     * of a profile with load errors ({@code Pipeline.lint}).
     *
     * @param load       binds the profile with the overrides applied; throws as {@code ProfileLoader.load} does
     * @param overridden whether several profiles share overrides, so a problem located in an override must say
     *                   over which profile it arose
     */
    record Pending(String displayName, Supplier<LoadedProfile> load, boolean overridden) {
        /** "(over PROFILE)" on the diagnostics located in an override shared by several profiles. */
        List<Diagnostic> attribute(List<Diagnostic> diagnostics) {
            return overridden ? over(diagnostics, displayName) : diagnostics;
        }
    }

    /** The selected profiles, read but not bound, in order; {@code grouped} and {@code complete} as in {@link Selected}. */
    record Read(List<Pending> profiles, boolean grouped, boolean complete) {
    }

    /**
     * Reads every profile and every override, without binding: problems reading them (a missing file, YAML that
     * does not parse in a values file, ...) are reported together (exit 2).
     *
     * @param keepBrokenSets whether a --set that cannot be read is left out and reported with each profile's load
     *                       errors (lint, which tells everything at once) rather than refused up front
     */
    Read read(CommandSpec spec, boolean keepBrokenSets) {
        if (profiles.isEmpty() && !all) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--profile=NAME|FILE|DIR|-' or '--all'");
        }
        if (!profiles.isEmpty() && all) {
            throw new ParameterException(spec.commandLine(), "--profile and --all are mutually exclusive; give one or the other");
        }
        long stdinReaders = profiles.stream().filter("-"::equals).count() + values.stream().filter("-"::equals).count();
        if (stdinReaders > 1) {
            throw new ParameterException(spec.commandLine(), "standard input ('-') can be read only once, but --profile and --values name it "
                    + stdinReaders + " times");
        }
        return read(profiles, all, values, sets, ((RedisgenCommand) spec.root().userObject()).stdin, keepBrokenSets);
    }

    /** As {@link #read(CommandSpec, boolean)}, for options known to be usable (render's fast path, {@link FastRender}). */
    static Read read(List<String> profiles, boolean all, List<String> values, List<String> sets, InputStream stdin,
            boolean keepBrokenSets) {
        List<Diagnostic> errors = new ArrayList<>();
        List<LoadedText> valueTexts = new ArrayList<>();
        for (String v : values) {
            try {
                valueTexts.add(ProfileLoader.readValues(v, stdin));
            } catch (InputException e) {
                errors.addAll(e.diagnostics());
            }
        }
        Overrides overrides = Overrides.NONE;
        try {
            overrides = keepBrokenSets ? Overrides.lenient(valueTexts, sets) : Overrides.of(valueTexts, sets);
        } catch (InputException e) {
            errors.addAll(e.diagnostics());
        }
        List<LoadedText> texts = new ArrayList<>();
        boolean directory = false;
        // --all means the built-ins whatever lies in the current directory.
        for (String ref : all ? ProfileLoader.builtinNames().stream().map(n -> "builtin:" + n).toList() : profiles) {
            try {
                directory |= ProfileLoader.kind(ref) == ProfileLoader.Kind.DIRECTORY;
                texts.addAll(ProfileLoader.read(ref, stdin));
            } catch (InputException e) {
                errors.addAll(e.diagnostics());
            }
        }
        if (!errors.isEmpty()) {
            throw new InputException(errors);
        }
        boolean overridden = texts.size() > 1 && !overrides.isEmpty();
        Overrides over = overrides;
        List<Pending> pending = new ArrayList<>();
        for (LoadedText text : texts) {
            pending.add(new Pending(text.displayName(), () -> ProfileLoader.load(text, over), overridden));
        }
        return new Read(List.copyOf(pending), all || directory || profiles.size() > 1, all || directory);
    }

    /** "(over b.yaml)" on the problems located in an override rather than in the profile {@code profile} itself. */
    private static List<Diagnostic> over(List<Diagnostic> diagnostics, String profile) {
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            out.add(d.location().file().equals(profile) ? d
                    : new Diagnostic(d.severity(), d.ruleId(), d.message() + " (over " + profile + ")", d.fix(), d.location()));
        }
        return out;
    }

    /**
     * Refuses two profiles with one {@code name} where the name becomes a file or directory name.
     *
     * @param why what the name is used for, e.g. "each needs its own golden file"
     */
    static void requireUniqueNames(List<LoadedProfile> profiles, String why) {
        Map<String, LoadedProfile> seen = new HashMap<>();
        List<Diagnostic> errors = new ArrayList<>();
        for (LoadedProfile p : profiles) {
            LoadedProfile first = seen.putIfAbsent(p.profile().name(), p);
            if (first != null) {
                errors.add(Diagnostic.error("unique-names", "profiles " + first.displayName() + " and " + p.displayName() + " are both named '"
                        + p.profile().name() + "'; " + why, "give each profile its own `name`", p.sourceMap().locate("/name")));
            }
        }
        if (!errors.isEmpty()) {
            throw new InputException(errors);
        }
    }
}
