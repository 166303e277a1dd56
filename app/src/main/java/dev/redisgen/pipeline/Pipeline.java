package dev.redisgen.pipeline;

import dev.redisgen.decorate.Decorators;
import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.emit.ApplyOrder;
import dev.redisgen.plan.Plan;
import dev.redisgen.plan.Planner;
import dev.redisgen.profile.LoadedProfile;
import dev.redisgen.profile.ProfileLoader;
import dev.redisgen.verify.Rules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** load → plan → input rules → render → decorate → sort → output rules, all in memory (ARCHITECTURE "Data flow"). */
public final class Pipeline {
    private Pipeline() {
    }

    /**
     * @param objects  the sorted, decorated objects; empty when an input rule found an error
     * @param findings every rule finding (errors, warnings, notes) in document order
     */
    public record Result(LoadedProfile source, Plan plan, List<HasMetadata> objects, List<Diagnostic> findings) {
        public boolean hasErrors() {
            return findings.stream().anyMatch(Diagnostic::isError);
        }
    }

    /** Runs every stage it can; a broken profile (syntax, types) throws {@link InputException}. */
    public static Result run(LoadedProfile source) {
        Plan plan = Planner.plan(source.profile());
        List<Diagnostic> findings = new ArrayList<>(Rules.checkInput(source, plan));
        if (findings.stream().anyMatch(Diagnostic::isError)) {
            // Rendering an impossible topology would only add noise (or trip the conf generators' own guards).
            return new Result(source, plan, List.of(), findings);
        }
        List<HasMetadata> objects = ApplyOrder.sort(Decorators.apply(dev.redisgen.render.Renderer.render(plan), plan));
        findings.addAll(Rules.checkOutput(source, plan, objects));
        return new Result(source, plan, objects, List.copyOf(findings));
    }

    /** For render and check: the objects, or an {@link InputException} carrying every error found. */
    public static Result render(String profileRef) {
        return render(ProfileLoader.resolve(profileRef));
    }

    public static Result render(LoadedProfile source) {
        Result r = run(source);
        if (r.hasErrors()) {
            throw new InputException(r.findings().stream().filter(Diagnostic::isError).toList());
        }
        return r;
    }
}
