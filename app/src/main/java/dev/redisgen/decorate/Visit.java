package dev.redisgen.decorate;

import io.fabric8.kubernetes.api.builder.Visitor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;

/** Runs a fabric8 visitor over a copy of one object (through a list builder, which accepts any kind). */
final class Visit {
    private Visit() {
    }

    static HasMetadata each(HasMetadata object, Visitor<?> visitor) {
        var list = new KubernetesListBuilder().addToItems(object).accept(visitor).build();
        return list.getItems().get(0);
    }
}
