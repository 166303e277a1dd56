package dev.redisgen.cli;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

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

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
    }
}
