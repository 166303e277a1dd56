package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** The decorators, in the order they run: order is data, kept in this one list (ARCHITECTURE habit 3). */
public final class Decorators {
    private static final List<Decorator> ORDER = List.of(
            new AddCommonLabels(),
            // After the common labels; the selector-labels rule keeps the profile's from replacing any of redisgen's.
            new AddPodMetadata(),
            new HardenPodSecurity(),
            new AddPodAntiAffinity(),
            new AddTopologySpread(),
            new AddNodePlacement(),
            new AddImagePullSecrets(),
            // The checksum covers the ConfigMaps exactly as they will be emitted.
            new AddConfigChecksum(),
            // Last: the name hashes the Job as emitted, checksum included.
            new NameJobsAfterSpec());

    private Decorators() {
    }

    public static List<HasMetadata> apply(List<HasMetadata> objects, Plan plan) {
        List<HasMetadata> current = new ArrayList<>(objects);
        for (Decorator decorator : ORDER) {
            if (decorator instanceof AddConfigChecksum checksum) {
                current = checksum.applyAll(current);
                continue;
            }
            List<HasMetadata> next = new ArrayList<>(current.size());
            for (HasMetadata o : current) {
                next.add(decorator.apply(o, plan));
            }
            current = next;
        }
        return List.copyOf(current);
    }
}
