package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Two deployments whose derived or overridden names collide would overwrite each other's objects on apply. */
final class UniqueObjectNames implements Rule {
    @Override
    public String id() {
        return "unique-names";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        Map<String, String> seen = new TreeMap<>();
        List<Diagnostic> out = new ArrayList<>();
        for (HasMetadata o : ctx.objects()) {
            String key = o.getKind() + "/" + o.getMetadata().getName();
            String owner = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get("app.kubernetes.io/instance");
            String previous = seen.putIfAbsent(key, owner);
            if (previous != null) {
                int index = indexOf(ctx, owner);
                out.add(Diagnostic.error(id(), o.getKind() + " '" + o.getMetadata().getName() + "' is rendered for both '" + previous
                                + "' and '" + owner + "'; one would overwrite the other",
                        "rename one deployment, or override the colliding name under `services:`",
                        ctx.at(index < 0 ? "" : "/deployments/" + index + "/name")));
            }
        }
        return out;
    }

    private static int indexOf(Context ctx, String name) {
        for (int i = 0; i < ctx.plan().deployments().size(); i++) {
            if (ctx.plan().deployments().get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
