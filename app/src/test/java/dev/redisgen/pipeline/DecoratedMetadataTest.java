package dev.redisgen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decorators edit the rendered objects in place, finding each ObjectMeta themselves (no fabric8 visitor walks the
 * tree any more): every ObjectMeta anywhere in every rendered object, found here by reflection over the model's getters,
 * carries the common labels, so a kind or a nested template the decorators' list misses fails here.
 */
class DecoratedMetadataTest {

    @ParameterizedTest
    @ValueSource(strings = {"jewelry-shop", "gateway-ha", "airflow", "analytics-cluster"})
    void everyObjectMetaCarriesTheCommonLabels(String profile) {
        Pipeline.Result r = Pipeline.render(profile);
        int found = 0;
        for (HasMetadata object : r.objects()) {
            List<ObjectMeta> metas = new ArrayList<>();
            walk(object, metas, Collections.newSetFromMap(new IdentityHashMap<>()));
            assertThat(metas).as("%s %s", object.getKind(), object.getMetadata().getName()).isNotEmpty();
            for (ObjectMeta meta : metas) {
                assertThat(meta.getLabels()).as("an ObjectMeta in %s %s", object.getKind(), object.getMetadata().getName())
                        .containsEntry("app.kubernetes.io/part-of", r.plan().profileName())
                        .containsEntry("app.kubernetes.io/managed-by", "redisgen");
                found++;
            }
        }
        // More than one per object: pod templates and claim templates are among them.
        assertThat(found).isGreaterThan(r.objects().size());
    }

    private static void walk(Object value, List<ObjectMeta> metas, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof ObjectMeta meta) {
            metas.add(meta);
            return;
        }
        if (value instanceof Collection<?> c) {
            c.forEach(v -> walk(v, metas, seen));
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> walk(v, metas, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() == 0 && !Modifier.isStatic(getter.getModifiers()) && getter.getName().startsWith("get")
                    && getter.getDeclaringClass() != Object.class) {
                try {
                    walk(getter.invoke(value), metas, seen);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new AssertionError("cannot read " + getter, e);
                }
            }
        }
    }
}
