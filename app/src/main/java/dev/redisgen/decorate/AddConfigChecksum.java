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
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * The sums already worked out, by what they sum: the names and each ConfigMap's data. A batch of profiles hashes
     * the same ~160 KB of scripts for nearly every pod template, and SHA-256 without C2's intrinsic (the launcher runs
     * C1 only) cost a fifth of a batch's CPU; equal inputs are found by equal Strings (the scripts are the same
     * instances, {@code Scripts.load}), so a lookup costs far less than the hash. Bounded: cleared when full.
     */
    private static final Map<List<Object>, String> SUMS = new ConcurrentHashMap<>();
    private static final int MAX_SUMS = 256;

    private static String checksum(List<String> names, Map<String, ConfigMap> configMaps) {
        List<Object> input = new ArrayList<>(names.size() * 2);
        for (String name : names) {
            ConfigMap cm = configMaps.get(name);
            if (cm == null) {
                throw new IllegalStateException("pod mounts ConfigMap " + name + " that is not rendered");
            }
            input.add(name);
            input.add(new TreeMap<>(cm.getData()));
        }
        List<Object> key = List.copyOf(input);
        String sum = SUMS.get(key);
        if (sum == null) {
            sum = sha256(key);
            if (SUMS.size() >= MAX_SUMS) {
                SUMS.clear();
            }
            SUMS.put(key, sum);
        }
        return sum;
    }

    /** SHA-256 of each name and its data, in order: name NUL, then each key NUL value NUL by key. */
    private static String sha256(List<Object> input) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < input.size(); i += 2) {
                String name = (String) input.get(i);
                @SuppressWarnings("unchecked")
                Map<String, String> data = (Map<String, String>) input.get(i + 1);
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                for (var e : data.entrySet()) {
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
