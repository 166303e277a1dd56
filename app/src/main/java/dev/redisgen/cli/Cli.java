package dev.redisgen.cli;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.emit.OutputDirException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the picocli command line and maps every outcome to an exit code (habit 6). Tests use
 * {@link #commandLine} with their own writers and environment, exactly as {@link Main} does.
 */
final class Cli {
    /** Set to 1 to get the stack trace of an internal error. */
    static final String DEBUG_ENV = "REDISGEN_DEBUG";

    private Cli() {
    }

    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        return run(args, System.in, out, err, env);
    }

    /**
     * As {@link #run(String[], PrintWriter, PrintWriter, Map)}, reading {@code --profile -} and {@code -f -} from {@code in}.
     * The plain render invocations take {@link FastRender}, with the same outcome, without building picocli's model.
     */
    static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env) {
        FastRender.Invocation render = FastRender.parse(args);
        if (render != null) {
            return FastRender.run(render, in, out, err, env);
        }
        return commandLine(in, out, err, env).execute(args);
    }

    /**
     * The {@code redisgen} command with its subcommands, printing only to {@code out} and {@code err}.
     * Subcommand classes are only reflected on here; what they need (the pipeline, fabric8, Jackson)
     * is loaded in their {@code call()}, so {@code --help}, {@code --version} and {@code profiles} start fast.
     */
    static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cli = new CommandLine(new RedisgenCommand(in, env));
        cli.setOut(out);
        cli.setErr(err);
        HelpLayout.apply(cli);
        // Picocli's default would print the usage of an unknown subcommand; our own handlers decide what reaches stdout.
        cli.setParameterExceptionHandler(Cli::badUsage);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, commandLine.getErr(), env));
        return cli;
    }

    /** Picocli's message, its did-you-mean if any, and where to read more; never the full usage. */
    private static int badUsage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = e.getMessage() == null ? "bad usage" : e.getMessage();
        // Picocli starts some messages with "Error: "; ours already start with "redisgen: ".
        err.print("redisgen: " + (message.startsWith("Error: ") ? message.substring("Error: ".length()) : message) + "\n");
        UnmatchedArgumentException.printSuggestions(e, err);
        err.print("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.\n");
        err.flush();
        return ExitCode.USAGE;
    }

    /** What a command threw: bad input and file-system refusals are the user's (2), the rest is ours (70). */
    static int failed(Exception e, PrintWriter err, Map<String, String> env) {
        if (e instanceof InputException input) {
            for (Diagnostic d : input.diagnostics()) {
                err.print(d.format() + "\n");
            }
            err.flush();
            return ExitCode.USAGE;
        }
        if (e instanceof OutputDirException refused) {
            err.print(refused.diagnostic().format() + "\n");
            err.flush();
            return ExitCode.USAGE;
        }
        IOException io = e instanceof IOException x ? x : e instanceof UncheckedIOException u ? u.getCause() : null;
        if (io != null) {
            // A directory that cannot be written, a full disk: the environment, not a bug, and no stack trace.
            err.print("redisgen: " + describe(io) + "\n");
            err.flush();
            return ExitCode.USAGE;
        }
        return internalError(e, err, env);
    }

    static int internalError(Throwable e, PrintWriter err, Map<String, String> env) {
        err.print("redisgen: internal error: " + e.getClass().getName() + ": " + e.getMessage() + "\n");
        err.print("please report this" + ("1".equals(env.get(DEBUG_ENV)) ? "" : " (set " + DEBUG_ENV + "=1 to see the stack trace)") + "\n");
        if ("1".equals(env.get(DEBUG_ENV))) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.INTERNAL;
    }

    /** NIO puts only the path in most messages; say what went wrong with it. */
    static String describe(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory: " + n.getFile();
        }
        if (e instanceof NotDirectoryException n) {
            return "not a directory: " + n.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A UTF-8 writer that ends lines with "\n" on every platform; flushed by {@link Main} before exit. */
    static PrintWriter writer(OutputStream stream) {
        return new UnixPrintWriter(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8)), stream);
    }

    /**
     * {@link PrintWriter#println()} writes the platform separator; every println variant goes through it. It knows
     * the stream under it, so that UTF-8 text already encoded ({@link Spool}) is copied there as bytes.
     */
    static final class UnixPrintWriter extends PrintWriter {
        private final OutputStream bytes;

        UnixPrintWriter(Writer out) {
            this(out, null);
        }

        private UnixPrintWriter(Writer out, OutputStream bytes) {
            super(out, false);
            this.bytes = bytes;
        }

        /** The UTF-8 stream this writer writes to, or null; flush the writer before writing to it. */
        OutputStream bytes() {
            return bytes;
        }

        @Override
        public void println() {
            write('\n');
        }
    }
}
