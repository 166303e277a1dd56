package dev.redisgen.render;

import dev.redisgen.conf.Scripts;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripts a deployment's ConfigMap carries: those its pods and Jobs run (commands, probes, preStop hooks), those
 * the Jobs `redisgen drain` and `redisgen restore` render later run (they mount the same ConfigMap), bootstrap.sh
 * where it diagnoses a role decision (Sentinel topologies, CONTRACT.md), and what these need (Scripts.closure). A
 * Sentinel deployment carries no Redis Cluster script and the other way round, so a change to a script one topology
 * runs does not roll the pods of another (their config checksum covers the ConfigMap).
 */
final class ScriptSet {
    private static final Pattern RUNS = Pattern.compile(Pattern.quote(Pods.SCRIPTS_DIR + "/") + "([a-z][a-z0-9-]*\\.sh)");

    private ScriptSet() {
    }

    /** OBJECTS (deployment D's) with its scripts ConfigMap cut down to what they and D's on-demand Jobs run. */
    static List<HasMetadata> prune(RedisPlan d, List<HasMetadata> objects) {
        Set<String> roots = new TreeSet<>();
        // The on-demand Jobs are rendered only when asked for; their scripts are known (ScriptSetTest renders them).
        if (d.isCluster()) {
            roots.add(JobRenderer.DRAIN_SCRIPT);
            if (d.backup() != null) {
                roots.add(JobRenderer.RESTORE_SCRIPT);
            }
        }
        for (HasMetadata o : objects) {
            PodSpec pod = podSpec(o);
            if (pod != null) {
                roots.addAll(run(pod));
            }
        }
        if (d.isSentinel()) {
            roots.add("bootstrap.sh");
        }
        Set<String> keep = Scripts.closure(roots);
        List<HasMetadata> out = new ArrayList<>(objects.size());
        for (HasMetadata o : objects) {
            if (o instanceof ConfigMap cm && cm.getMetadata().getName().equals(d.names().scripts())) {
                Map<String, String> data = new TreeMap<>(cm.getData());
                data.keySet().retainAll(keep);
                out.add(new ConfigMapBuilder(cm).withData(data).build());
            } else {
                out.add(o);
            }
        }
        return out;
    }

    private static PodSpec podSpec(HasMetadata o) {
        if (o instanceof StatefulSet s) {
            return s.getSpec().getTemplate().getSpec();
        }
        if (o instanceof Deployment d) {
            return d.getSpec().getTemplate().getSpec();
        }
        if (o instanceof Job j) {
            return j.getSpec().getTemplate().getSpec();
        }
        if (o instanceof CronJob c) {
            return c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        }
        return null;
    }

    /** The scripts POD's containers run: their commands and arguments, exec probes and lifecycle hooks. */
    static Set<String> run(PodSpec pod) {
        Set<String> out = new TreeSet<>();
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (Container c : containers) {
            List<String> words = new ArrayList<>();
            add(words, c.getCommand());
            add(words, c.getArgs());
            for (Probe p : new Probe[] {c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()}) {
                if (p != null) {
                    exec(words, p.getExec());
                }
            }
            Lifecycle l = c.getLifecycle();
            if (l != null) {
                if (l.getPreStop() != null) {
                    exec(words, l.getPreStop().getExec());
                }
                if (l.getPostStart() != null) {
                    exec(words, l.getPostStart().getExec());
                }
            }
            for (String w : words) {
                Matcher m = RUNS.matcher(w);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    private static void exec(List<String> words, ExecAction e) {
        if (e != null) {
            add(words, e.getCommand());
        }
    }

    private static void add(List<String> words, List<String> more) {
        if (more != null) {
            words.addAll(more);
        }
    }
}
