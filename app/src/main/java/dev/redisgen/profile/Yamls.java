package dev.redisgen.profile;

import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The one way profile text becomes YAML nodes. Compose only: the node tree is bound by {@link Binder}, so no
 * YAML tag can ever construct a Java object.
 */
final class Yamls {
    /**
     * The largest profile, in bytes of UTF-8 (the README's limit): a profile is a few KiB, so anything near
     * this is a wrong file or an attack. {@link ProfileLoader} refuses a larger text with its location
     * before it gets here.
     */
    static final int MAX_BYTES = 4 << 20;
    /**
     * SnakeYAML's own limit, in code points: a text of at most {@link #MAX_BYTES} bytes of UTF-8 has at most
     * that many code points, so every profile within the documented limit passes it (it used to be 1 Mi code
     * points, which refused a 3.9 MB profile as "yaml-syntax"). It stays as the parser's last guard.
     */
    static final int CODE_POINT_LIMIT = MAX_BYTES;

    private Yamls() {
    }

    /** The limits above; read-only once made, as is the resolver, so both serve every thread. */
    private static final LoaderOptions OPTIONS = options();
    private static final Resolver RESOLVER = new Resolver();

    private static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        // compose() itself does not check duplicates (the Binder does, with the key's position); this guards
        // any constructor path that might be added later.
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(CODE_POINT_LIMIT);
        // Aliases are legitimate for sharing a resources block, not for "billion laughs" expansion.
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(40);
        return options;
    }

    /**
     * The document's root node, or null for an empty stream (nothing but comments). What {@code new Yaml(...).compose}
     * does, without building a {@code Yaml} (its representer, dumper options and resolver) for every text: a profile
     * and each of its {@code @Default} texts are composed this way.
     */
    static Node compose(String text) {
        return new Composer(new ParserImpl(new StreamReader(new StringReader(text)), OPTIONS), RESOLVER, OPTIONS).getSingleNode();
    }
}
