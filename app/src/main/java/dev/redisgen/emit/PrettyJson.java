package dev.redisgen.emit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON layout of redisgen's machine-readable reports ({@code diff --json}, {@code explain --json}): two-space
 * indent, {@code "key": value}, a newline at the end; keys in the order the tree holds them, so the bytes are the same
 * on every run, JDK and platform.
 */
public final class PrettyJson {
    private PrettyJson() {
    }

    /** The tree as text; {@code what} names it in the exception that cannot happen for a tree of plain nodes. */
    public static String write(JsonNode root, String what) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + what + " as JSON", e);
        }
    }
}
