package dev.redisgen.emit;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Location;
import java.io.IOException;

/**
 * {@link OutputDir#write} refused to touch a directory, because it holds something redisgen did not
 * write. Bad usage (exit code 2), so it carries a {@link Diagnostic} with the fix; nothing was
 * written.
 */
public final class OutputDirException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Diagnostic diagnostic;

    OutputDirException(String dir, String message, String fix) {
        super(message + "; fix: " + fix);
        this.diagnostic = Diagnostic.error("output-dir-not-ours", message, fix, Location.ofFile(dir));
    }

    public Diagnostic diagnostic() {
        return diagnostic;
    }
}
