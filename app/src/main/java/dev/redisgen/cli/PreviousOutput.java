package dev.redisgen.cli;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Location;
import dev.redisgen.diff.DiffReport;
import dev.redisgen.diff.Differ;
import dev.redisgen.diff.Manifest;
import dev.redisgen.diff.Previous;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code render --output-dir} over its own earlier output: a new output that {@code kubectl apply} cannot apply over the
 * previous one (a StatefulSet's claim templates, serviceName, selector or podManagementPolicy; a Job's template; ...)
 * is named with the procedure before anything is written, as a warning, or refused with {@code --refuse-immutable}.
 * Only loaded when the directory holds redisgen's record, so a render without previous output loads none of the diff.
 */
final class PreviousOutput {
    /** The record {@code render --output-dir} leaves (emit's OutputRecord); its presence says the directory is ours. */
    static final String RECORD = ".redisgen.sha256";
    static final String RULE = "immutable-field";

    private PreviousOutput() {
    }

    static boolean present(Path outputDir) {
        return Files.isRegularFile(outputDir.resolve(RECORD), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Compares every file about to be written with the file of that name there now.
     *
     * @param files  relative path to new text, as {@code OutputDir.files} or {@code OutputDir.grouped} make them
     * @param refuse throw (exit 2, nothing written) instead of warning
     */
    static void check(Path outputDir, Map<String, String> files, boolean refuse, PrintWriter err) {
        List<Diagnostic> found = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path old = outputDir.resolve(file.getKey());
            if (file.getKey().endsWith("kustomization.yaml") || !Files.isRegularFile(old, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            List<DiffReport.ObjectResult> refused;
            try {
                String before = Files.readString(old, StandardCharsets.UTF_8);
                if (before.equals(file.getValue())) {
                    continue;
                }
                List<Manifest> a = Previous.parse(before, old.toString());
                List<Manifest> b = Previous.parse(file.getValue(), old.toString());
                refused = Differ.refusals(a, b);
            } catch (IOException | InputException e) {
                // A file that is not what redisgen wrote: the output directory's own checks refuse it (output-dir-edited).
                continue;
            }
            for (DiffReport.ObjectResult r : refused) {
                List<String> text = r.refusalText();
                String message = text.get(0) + "; kubectl apply of the new output over the previous one fails there";
                String fix = "apply it in steps:\n    " + String.join("\n    ", text.subList(1, text.size()));
                Location where = Location.ofFile(old.toString());
                found.add(refuse ? Diagnostic.error(RULE, message, fix, where) : Diagnostic.warning(RULE, message, fix, where));
            }
        }
        if (refuse && !found.isEmpty()) {
            throw new InputException(found);
        }
        for (Diagnostic d : found) {
            err.print(d.format() + "\n");
        }
        err.flush();
    }
}
