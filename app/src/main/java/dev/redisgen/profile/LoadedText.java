package dev.redisgen.profile;

/**
 * The text of one input as read: a profile (file, built-in or stdin) or a values file.
 *
 * @param displayName what diagnostics call it: the path as given, {@code profiles/<name>.yaml} for a built-in,
 *                    {@code <stdin>} for standard input
 */
public record LoadedText(String displayName, String text) {
}
