package dev.redisgen.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * What a container runs is what the output says: the kubelet expands {@code $(VAR)} and reduces {@code $$} to {@code $} in
 * a container's command and args, so neither may appear in them (the TLS proxy's command once passed the reload loop
 * {@code "$$"}, which ran as {@code "$"} in a pod: no certificate was ever reloaded). Scripts belong in ConfigMaps, where
 * nothing is expanded.
 */
class KubeExpansionTest {
    static final List<String> PROFILES = Rendered.PROFILES;

    @ParameterizedTest
    @FieldSource("PROFILES")
    void noContainerCommandIsChangedByTheKubeletsExpansion(String profile) {
        List<String> found = new ArrayList<>();
        int seen = 0;
        for (Rendered.Workload w : Rendered.workloads(profile)) {
            for (Container c : w.allContainers()) {
                List<String> words = new ArrayList<>(c.getCommand() == null ? List.of() : c.getCommand());
                words.addAll(c.getArgs() == null ? List.of() : c.getArgs());
                for (String word : words) {
                    seen++;
                    if (word.contains("$$") || word.contains("$(")) {
                        found.add(w.owner().getMetadata().getName() + "/" + c.getName() + ": " + word);
                    }
                }
            }
        }
        assertThat(seen).as("commands seen").isPositive();
        assertThat(found).as(profile).isEmpty();
    }
}
