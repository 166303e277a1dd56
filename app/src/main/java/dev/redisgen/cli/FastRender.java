package dev.redisgen.cli;

import dev.redisgen.diag.Phases;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The common {@code render} invocations, parsed by hand: building picocli's command model (reflection over every
 * command's annotations, in Java 5 bytecode that no CDS archive or AOT cache keeps) cost a cold render ~250 ms of
 * CPU, more than the render itself (issue 12). Only a command line whose meaning is beyond doubt is taken here:
 * {@code render} followed by {@code --profile}, {@code --all}, {@code -f/--values}, {@code --set}, {@code --output-dir}
 * and {@code --force}, spelled {@code --name value} or {@code --name=value}, with options that picocli would accept as
 * they are. Everything else, including every mistake, goes to picocli, so that help, messages and exit codes stay
 * picocli's. What runs is {@link RenderCommand#render} on {@link Selection#read}, exactly as the picocli command runs
 * it, and failures are mapped by {@link Cli#failed}, as picocli's execution handler maps them.
 */
final class FastRender {

    /** An invocation this class takes, as picocli would have bound it to {@link RenderCommand} and {@link Selection}. */
    record Invocation(List<String> profiles, boolean all, List<String> values, List<String> sets, Path outputDir, boolean force) {
    }

    /** Words picocli gives a meaning of its own: a value spelled like one of them goes to picocli, whatever it does with it. */
    private static final Set<String> WORDS = Set.of("--profile", "--all", "-f", "--values", "--set", "--output-dir", "--force",
            "-h", "--help", "-V", "--version", "--", "render", "diff", "check", "lint", "explain", "drill", "drain", "restore", "profiles", "completion", "help");

    private FastRender() {
    }

    /** The invocation, or null when picocli must parse {@code args} (anything but the plain forms above). */
    static Invocation parse(String[] args) {
        if (args.length < 2 || !args[0].equals("render")) {
            return null;
        }
        List<String> profiles = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        boolean all = false;
        boolean force = false;
        String outputDir = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            // An @file argument is expanded by picocli.
            if (arg.startsWith("@")) {
                return null;
            }
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value = null;
            switch (name) {
                case "--all", "--force" -> {
                    if (eq >= 0 || (name.equals("--all") ? all : force)) {
                        return null; // --all=true, or given twice: picocli's to judge
                    }
                    if (name.equals("--all")) {
                        all = true;
                    } else {
                        force = true;
                    }
                    continue;
                }
                case "--profile", "-f", "--values", "--set", "--output-dir" -> {
                    if (eq >= 0) {
                        value = arg.substring(eq + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
            if (!plain(value)) {
                return null;
            }
            switch (name) {
                case "--profile" -> profiles.add(value);
                case "-f", "--values" -> values.add(value);
                case "--set" -> sets.add(value);
                default -> {
                    if (outputDir != null) {
                        return null; // given twice
                    }
                    outputDir = value;
                }
            }
        }
        // The usage errors of Selection and RenderCommand are picocli's to report.
        if (profiles.isEmpty() == !all || (force && outputDir == null)) {
            return null;
        }
        long stdinReaders = profiles.stream().filter("-"::equals).count() + values.stream().filter("-"::equals).count();
        if (stdinReaders > 1) {
            return null;
        }
        Path dir = null;
        if (outputDir != null) {
            // DirectoryName's checks: what it refuses, picocli reports.
            if (outputDir.isBlank()) {
                return null;
            }
            try {
                dir = Path.of(outputDir);
            } catch (InvalidPathException e) {
                return null;
            }
        }
        return new Invocation(List.copyOf(profiles), all, List.copyOf(values), List.copyOf(sets), dir, force);
    }

    /** A value picocli takes as it is: not empty, not option-like (a lone "-" is standard input), no picocli word. */
    private static boolean plain(String value) {
        return !value.isEmpty() && (value.equals("-") || !value.startsWith("-")) && !WORDS.contains(value) && !value.startsWith("@");
    }

    /** Runs the render; exit codes and messages as {@link Cli#commandLine} gives them for the same invocation. */
    static int run(Invocation invocation, InputStream stdin, PrintWriter out, PrintWriter err, Map<String, String> env) {
        Phases.mark("cli");
        try {
            Selection.Read read = Selection.read(invocation.profiles(), invocation.all(), invocation.values(), invocation.sets(), stdin, false);
            return RenderCommand.render(read, invocation.outputDir(), invocation.force(), false, out, err);
        } catch (Exception e) {
            return Cli.failed(e, err, env);
        }
    }
}
