package dev.redisgen.emit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code render --output-dir} wrote into a directory: the profiles and the SHA-256 of every file,
 * kept in the hidden file {@value #FILE} at the top of the directory. One profile for the plain layout;
 * for a grouped output (one subdirectory per profile) every profile in order, and the files as
 * {@code profile/file.yaml}, so the one record covers the whole tree. The next render compares with it,
 * so it refuses to replace another profile's output or a hand edit without {@code --force}. The lines
 * after the comments are in {@code sha256sum} format: {@code sha256sum -c .redisgen.sha256} checks the
 * directory.
 */
record OutputRecord(List<String> profiles, Map<String, String> checksums) {
    static final String FILE = ".redisgen.sha256";
    private static final String PROFILE = "# profile: ";
    /** A file at the top, or one level down in a profile's subdirectory (a DNS label). */
    private static final Pattern CHECKSUM =
            Pattern.compile("([0-9a-f]{64})  ((?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?/)?[a-z0-9][a-z0-9.-]*\\.yaml)");
    /** Far above any record redisgen writes (a line per object); a larger file is not one. */
    private static final long MAX_BYTES = 1L << 20;

    OutputRecord {
        profiles = List.copyOf(profiles);
        checksums = Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
    }

    static OutputRecord of(List<String> profiles, Map<String, String> files) {
        Map<String, String> checksums = new LinkedHashMap<>();
        files.forEach((name, content) -> checksums.put(name, sha256(content.getBytes(StandardCharsets.UTF_8))));
        return new OutputRecord(profiles, checksums);
    }

    String text() {
        String what = profiles.size() == 1 ? "the profile" : "the profiles";
        StringBuilder text = new StringBuilder()
                .append("# Written by redisgen render --output-dir: ").append(what).append(" and a checksum of every file it wrote here.\n")
                .append("# redisgen refuses to replace another profile's output or changed files without --force.\n")
                .append("# Check with: sha256sum -c ").append(FILE).append('\n');
        profiles.forEach(p -> text.append(PROFILE).append(p).append('\n'));
        checksums.forEach((name, sum) -> text.append(sum).append("  ").append(name).append('\n'));
        return text.toString();
    }

    /** Whether the record holds files in the subdirectory {@code group} (a grouped output's profile). */
    boolean hasGroup(String group) {
        String prefix = group + "/";
        return checksums.keySet().stream().anyMatch(name -> name.startsWith(prefix));
    }

    /** The record in {@code file}, or null when there is none or it is not one (then the directory is judged without it). */
    static OutputRecord read(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
            return null;
        }
        List<String> profiles = new ArrayList<>();
        Map<String, String> checksums = new LinkedHashMap<>();
        for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n", -1)) {
            Matcher m = CHECKSUM.matcher(line);
            if (line.startsWith(PROFILE)) {
                String profile = line.substring(PROFILE.length());
                if (profile.isEmpty()) {
                    return null;
                }
                profiles.add(profile);
            } else if (m.matches()) {
                checksums.put(m.group(2), m.group(1));
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                return null;
            }
        }
        return profiles.isEmpty() ? null : new OutputRecord(profiles, checksums);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
