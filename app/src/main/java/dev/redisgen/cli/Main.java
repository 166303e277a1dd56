package dev.redisgen.cli;

import dev.redisgen.diag.Phases;
import java.io.PrintWriter;

/** The entry point, and the only place that calls {@link System#exit} (ARCHITECTURE, the {@code cli} row). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Phases.mark("jvm");
        // UTF-8 and "\n" whatever the platform default is (habit 4): the output is the same bytes everywhere.
        PrintWriter out = Cli.writer(System.out);
        PrintWriter err = Cli.writer(System.err);
        int code;
        try {
            code = Cli.run(args, out, err, System.getenv());
        } catch (RuntimeException | Error e) {
            // Only reached if building the command line itself fails; commands' failures are mapped in Cli.
            code = Cli.internalError(e, err, System.getenv());
        }
        out.flush();
        err.flush();
        Phases.report(System.err);
        System.exit(code);
    }
}
