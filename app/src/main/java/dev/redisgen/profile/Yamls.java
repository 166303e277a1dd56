package dev.redisgen.profile;

import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The one way profile text becomes YAML nodes. Compose only: the node tree is bound by {@link Binder}, so no
 * YAML tag can ever construct a Java object.
 */
final class Yamls {
    /** A profile is a few hundred lines; a megabyte of text is a mistake or an attack, not a profile. */
    static final int CODE_POINT_LIMIT = 1 << 20;

    private Yamls() {
    }

    /** The document's root node, or null for an empty stream (nothing but comments). */
    static Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        // compose() itself does not check duplicates (the Binder does, with the key's position); this guards
        // any constructor path that might be added later.
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(CODE_POINT_LIMIT);
        // Aliases are legitimate for sharing a resources block, not for "billion laughs" expansion.
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(40);
        return new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
    }
}
