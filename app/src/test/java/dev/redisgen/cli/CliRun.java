package dev.redisgen.cli;

import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the command line with captured stdout and stderr (picocli "Testing Your Application"). */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        return withEnv(Map.of(), args);
    }

    static CliRun withEnv(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Cli.UnixPrintWriter outWriter = new Cli.UnixPrintWriter(out);
        Cli.UnixPrintWriter errWriter = new Cli.UnixPrintWriter(err);
        int exit = Cli.run(args, outWriter, errWriter, env);
        outWriter.flush();
        errWriter.flush();
        return new CliRun(exit, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
    }
}
