package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sha256 of every ConfigMap a server pod mounts, as a pod-template annotation: a config change changes
 * the template, so the controller rolls the pods (SPEC "Rollouts"). Jobs get it too, so that a changed script
 * (the creation Job's) changes the Job's name ({@link NameJobsAfterSpec}) and it runs again; a Job's template
 * is immutable, but a new name is a new Job. CronJobs are left alone: each run reads the ConfigMap as it is.
 */
final class AddConfigChecksum implements Decorator {
    static final String ANNOTATION = "checksum/config";

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        throw new UnsupportedOperationException("needs every object: use applyAll");
    }

    List<HasMetadata> applyAll(List<HasMetadata> objects) {
        Map<String, ConfigMap> configMaps = new TreeMap<>();
        for (HasMetadata o : objects) {
            if (o instanceof ConfigMap cm) {
                configMaps.put(cm.getMetadata().getName(), cm);
            }
        }
        List<HasMetadata> out = new ArrayList<>(objects.size());
        for (HasMetadata o : objects) {
            if (!Objects.isServer(o) && !(o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job)) {
                out.add(o);
                continue;
            }
            List<String> names = new ArrayList<>();
            for (Volume v : Objects.template(o).getSpec().getVolumes()) {
                if (v.getConfigMap() != null) {
                    names.add(v.getConfigMap().getName());
                }
            }
            names.sort(null);
            String sum = checksum(names, configMaps);
            out.add(Objects.editPodMetadata(o, meta -> meta.setAnnotations(Objects.plus(meta.getAnnotations(), Map.of(ANNOTATION, sum)))));
        }
        return out;
    }

    private static String checksum(List<String> names, Map<String, ConfigMap> configMaps) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String name : names) {
                ConfigMap cm = configMaps.get(name);
                if (cm == null) {
                    throw new IllegalStateException("pod mounts ConfigMap " + name + " that is not rendered");
                }
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                for (var e : new TreeMap<>(cm.getData()).entrySet()) {
                    sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
