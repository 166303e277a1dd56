package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Location;
import dev.redisgen.diag.Severity;
import dev.redisgen.profile.Acknowledgement;
import dev.redisgen.profile.Suggest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A profile's `acknowledge` entries: a warning of the named rule, in the deployment that acknowledges it (or
 * anywhere, at the top level), becomes a note carrying the reason. Only warnings: an error means the output would
 * be refused or broken, and an entry that names no rule, a rule that never warns, or an error is refused where it
 * is written. An entry that matches nothing is a warning, so it cannot silently hide a future problem.
 */
final class Acknowledge {
    static final String ID = "acknowledge";

    /** One valid entry: the rule it names, its reason, its scope (a deployment's pointer, or "" for the profile). */
    private record Entry(String rule, String reason, String scope, String pointer, Location at) {
    }

    private Acknowledge() {
    }

    /**
     * The findings with acknowledged warnings turned into notes, plus the refusals of bad entries.
     *
     * @param complete whether every rule ran on the whole profile; if not (lint over a profile with load errors),
     *                 an entry that matches nothing may only have lost its warning to a load error, and is not reported
     */
    static List<Diagnostic> apply(Context ctx, List<Rule> rules, List<Diagnostic> findings, boolean complete) {
        List<Diagnostic> out = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        read(ctx, rules, ctx.profile().acknowledge(), "", "/acknowledge", entries, out);
        for (int i = 0; i < ctx.profile().deployments().size(); i++) {
            read(ctx, rules, ctx.profile().deployments().get(i).acknowledge(), "/deployments/" + i, "/deployments/" + i + "/acknowledge",
                    entries, out);
        }
        Set<Entry> used = new HashSet<>();
        for (Diagnostic d : findings) {
            Entry entry = match(ctx, entries, d);
            if (entry == null || d.severity() == Severity.NOTE) {
                out.add(d);
                continue;
            }
            used.add(entry);
            if (d.severity() == Severity.ERROR) {
                out.add(d);
                out.add(Diagnostic.error(ID, "the `" + entry.rule() + "` finding at " + where(d.location(), entry.at()) + " is an error, which cannot be"
                                + " acknowledged: the output would be refused or would not work",
                        "fix the error; only warnings can be acknowledged", entry.at()));
            } else {
                out.add(Diagnostic.note(d.ruleId(), d.message() + " (acknowledged at " + where(entry.at(), d.location()) + ": " + entry.reason() + ")",
                        null, d.location()));
            }
        }
        if (complete) {
            for (Entry entry : entries) {
                if (!used.contains(entry)) {
                    out.add(Diagnostic.warning(ID, "acknowledge of `" + entry.rule() + "` matches no warning "
                                    + (entry.scope().isEmpty() ? "in the profile" : "of this deployment") + "; left in place it would hide the next one",
                            "remove this entry", entry.at()));
                }
            }
        }
        return out;
    }

    private static void read(Context ctx, List<Rule> rules, List<Acknowledgement> list, String scope, String base, List<Entry> entries,
                             List<Diagnostic> out) {
        List<String> ids = rules.stream().map(Rule::id).toList();
        List<String> warning = rules.stream().filter(Rule::warns).map(Rule::id).toList();
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < list.size(); j++) {
            Acknowledgement a = list.get(j);
            String p = base + "/" + j;
            Location at = ctx.at(p + "/rule");
            if (!warning.contains(a.rule())) {
                String why = a.rule().equals(ID) ? "an acknowledge cannot acknowledge acknowledges"
                        : ids.contains(a.rule()) ? "`" + a.rule() + "` reports only errors, which cannot be acknowledged"
                        : "there is no rule `" + a.rule() + "`" + Suggest.didYouMean(a.rule(), warning);
                out.add(Diagnostic.error(ID, why, "acknowledge one of the rules that warn: " + String.join(", ", warning), at));
            } else if (a.reason().isBlank()) {
                out.add(Diagnostic.error(ID, "acknowledge of `" + a.rule() + "` gives no reason", "say why the warning is acceptable here,"
                        + " e.g. `reason: \"cache of public pages, nothing secret\"`", ctx.at(p + "/reason")));
            } else if (!seen.add(a.rule())) {
                out.add(Diagnostic.error(ID, "`" + a.rule() + "` is acknowledged twice here", "keep one entry", at));
            } else {
                entries.add(new Entry(a.rule(), a.reason().strip(), scope, p, at));
            }
        }
    }

    /** The entry that covers a finding: its deployment's first, then the profile's. */
    private static Entry match(Context ctx, List<Entry> entries, Diagnostic d) {
        Entry top = null;
        for (Entry e : entries) {
            if (!e.rule().equals(d.ruleId())) {
                continue;
            }
            if (e.scope().isEmpty()) {
                top = top == null ? e : top;
            } else if (ctx.source().sourceMap().contains(e.scope(), d.location())) {
                return e;
            }
        }
        return top;
    }

    /** {@code l} as seen from a message located at {@code from}: "line N" in the same file, else in full (another input). */
    private static String where(Location l, Location from) {
        return l.line() > 0 && l.file().equals(from.file()) ? "line " + l.line() : l.toString();
    }
}
