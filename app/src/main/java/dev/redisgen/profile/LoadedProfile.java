package dev.redisgen.profile;

/**
 * A bound profile together with where its values were written.
 *
 * @param displayName the name diagnostics print: the path as given, or {@code profiles/<name>.yaml} for a built-in
 * @param text the profile text exactly as read (after decoding), for printing a built-in as a starting point
 */
public record LoadedProfile(Profile profile, SourceMap sourceMap, String displayName, String text) {
}
