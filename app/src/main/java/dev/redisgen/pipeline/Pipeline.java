package dev.redisgen.pipeline;

import dev.redisgen.decorate.Decorators;
import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.emit.ApplyOrder;
import dev.redisgen.plan.Plan;
import dev.redisgen.plan.Planner;
import dev.redisgen.profile.LoadedProfile;
import dev.redisgen.profile.ProfileLoadException;
import dev.redisgen.profile.ProfileLoader;
import dev.redisgen.verify.Rules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** load → plan → input rules → render → decorate → sort → output rules, all in memory (ARCHITECTURE "Data flow"). */
public final class Pipeline {
    private Pipeline() {
    }

    /**
     * @param objects  the sorted, decorated objects; empty when an input rule found an error
     * @param findings every finding (errors, warnings, notes) in document order: the rules' (acknowledged warnings
     *                 already turned into notes), and for {@link #lint} also the load errors
     */
    public record Result(LoadedProfile source, Plan plan, List<HasMetadata> objects, List<Diagnostic> findings) {
        public boolean hasErrors() {
            return findings.stream().anyMatch(Diagnostic::isError);
        }
    }

    /** Runs every stage it can; a broken profile (syntax, types) throws {@link InputException}. */
    public static Result run(LoadedProfile source) {
        return run(source, true);
    }

    private static Result run(LoadedProfile source, boolean complete) {
        Plan plan = Planner.plan(source.profile());
        List<Diagnostic> findings = new ArrayList<>(Rules.checkInput(source, plan));
        if (findings.stream().anyMatch(Diagnostic::isError)) {
            // Rendering an impossible topology would only add noise (or trip the conf generators' own guards).
            return new Result(source, plan, List.of(), Rules.acknowledge(source, plan, findings, complete));
        }
        List<HasMetadata> objects = ApplyOrder.sort(Decorators.apply(dev.redisgen.render.Renderer.render(plan), plan));
        findings.addAll(Rules.checkOutput(source, plan, objects));
        return new Result(source, plan, objects, Rules.acknowledge(source, plan, findings, complete));
    }

    /**
     * lint's single pass: the load errors and, wherever the profile binds at all, the rules' findings over the rest
     * of it (each broken value left out, as if not written), in document order. A profile that cannot be bound at
     * all (no YAML, no `name`, ...) still throws its {@link InputException}.
     *
     * @param load reads the profile (a file, a built-in, with whatever overlays the command line gives)
     */
    public static Result lint(Supplier<LoadedProfile> load) {
        try {
            return run(load.get());
        } catch (ProfileLoadException e) {
            if (e.recovered() == null) {
                throw e;
            }
            Result r = run(e.recovered(), false);
            List<Diagnostic> all = new ArrayList<>(e.diagnostics());
            all.addAll(r.findings());
            all.sort(r.source().sourceMap().documentOrder());
            return new Result(r.source(), r.plan(), List.of(), List.copyOf(all));
        }
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

    /**
     * `redisgen drain`: the drain Job of the Redis Cluster deployment NAME of a profile (null: its only cluster
     * deployment), decorated like every rendered object; the profile (the new one, with fewer shards) must render
     * without errors. Bad input (no such deployment) throws {@link IllegalArgumentException} with the message.
     */
    public static List<HasMetadata> drain(LoadedProfile source, String deployment) {
        Result r = render(source);
        var d = onlyCluster(r, deployment, false, "to drain");
        return jobWithConfig(r, dev.redisgen.render.Renderer.drainJob(r.plan(), d));
    }

    /**
     * `redisgen restore`: the restore Job of the Redis Cluster deployment NAME of a profile (null: its only cluster
     * deployment with backups), decorated like every rendered object; the profile must render without errors.
     * Bad input (no such deployment) throws {@link IllegalArgumentException} with the message for the user.
     */
    public static List<HasMetadata> restore(LoadedProfile source, String deployment, String from, boolean replace) {
        Result r = render(source);
        var d = onlyCluster(r, deployment, true, "with `backup` to restore");
        return jobWithConfig(r, dev.redisgen.render.Renderer.restoreJob(r.plan(), d, from, replace));
    }

    /** The Redis Cluster deployment NAME of R (null: its only one), with backups if BACKUP; else what is wrong, for WHAT. */
    private static dev.redisgen.plan.RedisPlan onlyCluster(Result r, String deployment, boolean backup, String what) {
        List<dev.redisgen.plan.RedisPlan> candidates = r.plan().deployments().stream()
                .filter(d -> d.isCluster() && (!backup || d.backup() != null) && (deployment == null || d.name().equals(deployment))).toList();
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("profile '" + r.plan().profileName() + "' has no Redis Cluster deployment"
                    + (deployment == null ? "" : " named '" + deployment + "'") + " " + what);
        }
        if (candidates.size() > 1) {
            throw new IllegalArgumentException("profile '" + r.plan().profileName() + "' has several Redis Cluster deployments"
                    + (backup ? " with backups" : "") + " (" + String.join(", ", candidates.stream().map(dev.redisgen.plan.RedisPlan::name).toList())
                    + "): name one with --deployment");
        }
        return candidates.get(0);
    }

    /** JOB decorated beside the ConfigMaps of R (the checksum decorator sees the scripts the Job mounts); only the Job. */
    private static List<HasMetadata> jobWithConfig(Result r, HasMetadata job) {
        List<HasMetadata> withConfig = new ArrayList<>(r.objects().stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.ConfigMap).toList());
        withConfig.add(job);
        return Decorators.apply(withConfig, r.plan()).stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job).toList();
    }
}
