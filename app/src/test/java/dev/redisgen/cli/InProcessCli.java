package dev.redisgen.cli;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The command line run in this JVM, for tests outside this package (the mutant corpus): exit code, stdout, stderr. */
public final class InProcessCli {
    public record Run(int exit, String out, String err) {
    }

    private InProcessCli() {
    }

    public static Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Cli.UnixPrintWriter outWriter = new Cli.UnixPrintWriter(out);
        Cli.UnixPrintWriter errWriter = new Cli.UnixPrintWriter(err);
        int exit = Cli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), outWriter, errWriter, Map.of());
        outWriter.flush();
        errWriter.flush();
        return new Run(exit, out.toString(), err.toString());
    }
}
