package dev.redisgen.cli;

import dev.redisgen.pipeline.Pipeline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drain",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Renders the Job that drains a Redis Cluster down to fewer shards.",
            "",
            "Give it the NEW profile (fewer shards) and create the Job while the OLD output is still applied: the "
                    + "StatefulSet still has every pod. The Job (cluster-create.sh with CLUSTER_DRAIN=true) hands each "
                    + "shard on a pod that goes to a replica on a pod that stays where it can (CLUSTER FAILOVER), empties "
                    + "every master beyond the new shard count under the creation Job's slot lock (redis-cli --cluster "
                    + "rebalance with weight 0: keys move with MIGRATE, clients follow ASK and MOVED), and gives each "
                    + "staying master its replicas on pods that stay. When it completes, apply the new output: the "
                    + "StatefulSet removes pods that hold no slot, and the healers forget them. Idempotent (a re-run changes "
                    + "nothing); named after a hash of its spec."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen drain --profile new.yaml | kubectl create -f -",
            "  kubectl -n redis-system wait --for=condition=complete job -l app.kubernetes.io/component=drain-cluster --timeout=1h",
            "  redisgen render --profile new.yaml | kubectl apply -f -"})
final class DrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Selection selection;

    @Option(names = "--deployment", paramLabel = "NAME",
            description = "The Redis Cluster deployment of the profile to drain (needed when it has several).")
    String deployment;

    @Override
    public Integer call() {
        return OneJob.print(spec, selection, p -> Pipeline.drain(p, deployment));
    }
}
