package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import java.util.List;

/** One verification rule with a stable kebab-case id. */
interface Rule {
    String id();

    List<Diagnostic> check(Context ctx);
}
