package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import java.util.List;

/** One verification rule with a stable kebab-case id. */
interface Rule {
    String id();

    List<Diagnostic> check(Context ctx);

    /** Whether the rule can report a warning, which a profile may acknowledge (errors never can be). */
    default boolean warns() {
        return false;
    }
}
