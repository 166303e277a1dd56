package dev.redisgen.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * One in-process run of the command line with captured stdout and stderr (picocli "Testing Your Application"),
 * and an empty standard input unless given.
 */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        return withEnv(Map.of(), args);
    }

    static CliRun withEnv(Map<String, String> env, String... args) {
        return run("", env, args);
    }

    /** A run whose standard input holds {@code stdin} (for {@code --profile -} and {@code -f -}). */
    static CliRun withStdin(String stdin, String... args) {
        return run(stdin, Map.of(), args);
    }

    private static CliRun run(String stdin, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Cli.UnixPrintWriter outWriter = new Cli.UnixPrintWriter(out);
        Cli.UnixPrintWriter errWriter = new Cli.UnixPrintWriter(err);
        int exit = Cli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), outWriter, errWriter, env);
        outWriter.flush();
        errWriter.flush();
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** The command tree as {@link Main} builds it: the root and every subcommand below it, depth first. */
    static List<CommandLine> commandTree() {
        return below(Cli.commandLine(InputStream.nullInputStream(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                Map.of()));
    }

    private static List<CommandLine> below(CommandLine command) {
        List<CommandLine> all = new ArrayList<>(List.of(command));
        for (CommandLine sub : command.getSubcommands().values()) {
            all.addAll(below(sub));
        }
        return all;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
    }
}
