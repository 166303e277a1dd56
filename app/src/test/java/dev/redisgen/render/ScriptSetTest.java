package dev.redisgen.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.conf.Scripts;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.profile.LoadedProfile;
import dev.redisgen.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each deployment's scripts ConfigMap carries exactly the scripts its pods and Jobs run, those the on-demand Jobs
 * (`redisgen drain`, `redisgen restore`) run, what those run in turn, and nothing of another topology. Judged from
 * the rendered objects, apart from ScriptSet: what the pod specs name under /scripts/, and what a carried script runs
 * with "$SCRIPTS_DIR/...". The drill and the live tests run the scripts from the rendered ConfigMaps.
 */
class ScriptSetTest {
    private static final Pattern IN_POD = Pattern.compile("/scripts/([a-z][a-z0-9-]*\\.sh)");
    private static final Pattern IN_SCRIPT = Pattern.compile("\\$SCRIPTS_DIR/([a-z][a-z0-9-]*\\.sh)");

    @ParameterizedTest
    @ValueSource(strings = {"jewelry-shop", "gateway-ha", "airflow", "analytics-cluster",
        "app/src/test/resources/profiles/valid/tls.yaml",
        "app/src/test/resources/profiles/valid/standalone-persistent.yaml", "app/src/test/resources/profiles/valid/scheduling-and-exposure.yaml",
        "app/src/test/resources/drill/analytics-cluster-tls.yaml", "app/src/test/resources/drill/airflow-acl-users.yaml",
        "app/src/test/resources/drill/five-pods.yaml"})
    void everyDeploymentCarriesExactlyTheScriptsItRuns(String profile) {
        LoadedProfile loaded = ProfileLoader.resolve(profile);
        List<HasMetadata> objects = Pipeline.render(loaded).objects();
        Map<String, Set<String>> carried = new TreeMap<>();
        Map<String, Set<String>> run = new TreeMap<>();
        for (HasMetadata o : objects) {
            String instance = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get("app.kubernetes.io/instance");
            if (instance == null) {
                continue;
            }
            if (o instanceof ConfigMap cm && cm.getMetadata().getName().endsWith("-scripts")) {
                carried.put(instance, new TreeSet<>(cm.getData().keySet()));
            }
            run.computeIfAbsent(instance, k -> new TreeSet<>()).addAll(named(o));
        }
        assertThat(carried).as("a scripts ConfigMap per deployment").isNotEmpty();
        for (String d : carried.keySet()) {
            boolean cluster = carried.get(d).contains("cluster-start.sh");
            Set<String> needed = new TreeSet<>(run.get(d));
            if (cluster) {
                needed.addAll(named(Pipeline.drain(loaded, d).get(0)));
                boolean backups = objects.stream().anyMatch(o -> o instanceof CronJob && d.equals(o.getMetadata().getLabels().get("app.kubernetes.io/instance")));
                if (backups) {
                    needed.addAll(named(Pipeline.restore(loaded, d, "daily/latest", false).get(0)));
                }
            }
            // What the carried scripts run, until nothing new: every one of them must be carried too.
            Set<String> closure = new TreeSet<>(needed);
            closure.add("common.sh");
            boolean grew = true;
            while (grew) {
                grew = false;
                for (String s : List.copyOf(closure)) {
                    Matcher m = IN_SCRIPT.matcher(Scripts.load(s));
                    while (m.find()) {
                        grew |= closure.add(m.group(1));
                    }
                }
            }
            assertThat(carried.get(d)).as("%s %s: every script it runs", profile, d).containsAll(closure);
            Set<String> extra = new TreeSet<>(carried.get(d));
            extra.removeAll(closure);
            // sentinel-notify.sh is named in the sentinel.conf the start script writes; bootstrap.sh is the documented
            // diagnosis of a Sentinel pod's role; tls-reload.sh is started by common.sh's TLS watcher.
            extra.removeAll(Set.of("sentinel-notify.sh", "bootstrap.sh", "tls-reload.sh"));
            assertThat(extra).as("%s %s: scripts it never runs", profile, d).isEmpty();
            if (cluster) {
                assertThat(carried.get(d)).noneMatch(s -> s.startsWith("sentinel-") || s.equals("redis-start.sh") || s.equals("split-brain-guard.sh"));
            } else {
                assertThat(carried.get(d)).noneMatch(s -> s.startsWith("cluster-"));
            }
        }
    }

    /** The scripts an object's pods run, as written in its pod spec. */
    private static Set<String> named(HasMetadata o) {
        var spec = o instanceof StatefulSet s ? s.getSpec().getTemplate().getSpec()
                : o instanceof Deployment dp ? dp.getSpec().getTemplate().getSpec()
                : o instanceof Job j ? j.getSpec().getTemplate().getSpec()
                : o instanceof CronJob c ? c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec() : null;
        Set<String> out = new TreeSet<>();
        if (spec == null) {
            return out;
        }
        List<io.fabric8.kubernetes.api.model.Container> all = new ArrayList<>(spec.getContainers());
        if (spec.getInitContainers() != null) {
            all.addAll(spec.getInitContainers());
        }
        for (var c : all) {
            // Everything the container runs, as text: command, args, probes, lifecycle hooks.
            String text = String.valueOf(c.getCommand()) + c.getArgs() + c.getLivenessProbe() + c.getReadinessProbe() + c.getStartupProbe() + c.getLifecycle();
            Matcher m = IN_POD.matcher(text);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
