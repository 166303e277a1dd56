package dev.redisgen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.emit.YamlWriter;
import dev.redisgen.profile.ProfileLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Profiles nobody wrote on purpose: every scalar of every built-in profile replaced by hostile values, and
 * every key removed, one at a time. Whatever the input, redisgen either renders or refuses with diagnostics
 * that carry a location; it never fails with any other exception (which the CLI would report as an internal
 * error, exit 70).
 */
class MalformedProfilesTest {
    private static final List<Object> HOSTILE = List.of(0, -1, 2147483648L, "", "not a value", List.of());

    @ParameterizedTest
    @ValueSource(strings = {"jewelry-shop", "gateway-ha", "airflow", "analytics-cluster"})
    void everyMutationRendersOrRefusesCleanly(String profile) {
        String text = ProfileLoader.loadBuiltin(profile).text();
        Object root = new Yaml().load(text);
        List<List<Object>> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        List<String> crashes = new ArrayList<>();
        int runs = 0;
        for (List<Object> path : paths) {
            for (Object value : HOSTILE) {
                runs++;
                check(profile, path + " = " + value, dump(replace(root, path, 0, value, false)), crashes);
            }
            runs++;
            check(profile, "remove " + path, dump(replace(root, path, 0, null, true)), crashes);
        }
        assertThat(runs).isGreaterThan(200);
        assertThat(crashes).isEmpty();
    }

    private static void check(String profile, String mutation, String yaml, List<String> crashes) {
        try {
            var result = Pipeline.render(ProfileLoader.parse("mutated-" + profile + ".yaml", yaml));
            YamlWriter.write(result.objects());
        } catch (InputException e) {
            for (Diagnostic d : e.diagnostics()) {
                if (d.location().line() < 1 || d.message().isBlank()) {
                    crashes.add(mutation + ": diagnostic without a location or message: " + d.format());
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            crashes.add(mutation + ": " + e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<Object> path, List<List<Object>> out) {
        if (node instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                List<Object> p = new ArrayList<>(path);
                p.add(e.getKey());
                out.add(p);
                collect(e.getValue(), p, out);
            }
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                List<Object> p = new ArrayList<>(path);
                p.add(i);
                out.add(p);
                collect(l.get(i), p, out);
            }
        }
    }

    /** A deep copy of {@code node} with the value at {@code path} replaced (or removed). */
    private static Object replace(Object node, List<Object> path, int depth, Object value, boolean remove) {
        if (depth == path.size()) {
            return value;
        }
        Object key = path.get(depth);
        if (node instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            for (var e : m.entrySet()) {
                if (e.getKey().equals(key)) {
                    if (!(remove && depth == path.size() - 1)) {
                        copy.put(e.getKey(), replace(e.getValue(), path, depth + 1, value, remove));
                    }
                } else {
                    copy.put(e.getKey(), e.getValue());
                }
            }
            return copy;
        }
        if (node instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                if (key.equals(i)) {
                    if (!(remove && depth == path.size() - 1)) {
                        copy.add(replace(l.get(i), path, depth + 1, value, remove));
                    }
                } else {
                    copy.add(l.get(i));
                }
            }
            return copy;
        }
        return node;
    }

    private static String dump(Object root) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(root);
    }
}
