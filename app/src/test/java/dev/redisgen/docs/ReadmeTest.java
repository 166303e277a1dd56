package dev.redisgen.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.profile.ProfileLoader;
import dev.redisgen.profile.SchemaDoc;
import dev.redisgen.verify.Rules;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README stays true, and stands alone: its schema section is the code's, it names every rule and built-in
 * profile, and it refers to nothing a reader of the repository cannot follow (files, links, seeds, Node.js).
 */
class ReadmeTest {
    private static String readme() throws Exception {
        return Files.readString(Path.of("README.md"));
    }

    private static String between(String text, String begin, String end) {
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        assertThat(b).as(begin).isNotNegative();
        assertThat(e).as(end).isGreaterThan(b);
        return text.substring(b + begin.length() + 1, e);
    }

    @Test
    void schemaSectionIsGeneratedFromTheRecords() throws Exception {
        assertThat(between(readme(), "<!-- schema:begin -->", "<!-- schema:end -->"))
                .as("README schema section; regenerate it from SchemaDoc.markdown()").isEqualTo(SchemaDoc.markdown());
    }

    @Test
    void everyRuleAndProfileIsDocumented() throws Exception {
        String rules = between(readme(), "<!-- rules:begin -->", "<!-- rules:end -->");
        for (String id : Rules.ids()) {
            assertThat(rules).contains("`" + id + "`");
        }
        for (String profile : ProfileLoader.builtinNames()) {
            assertThat(readme()).contains("| `" + profile + "` |");
        }
    }

    @Test
    void beginsWithTheTwoCommands() throws Exception {
        String text = readme();
        int block = text.indexOf("```sh\n");
        assertThat(text.substring(block, text.indexOf("```\n", block + 6)))
                .contains("./redisgen render --profile gateway-ha")
                .contains("mvn -B verify");
        assertThat(Files.readString(Path.of(".ci/run"))).contains("\nmvn -B verify\n");
    }

    /**
     * Every fenced code block is closed: the GitLab CI snippet lacked its closing fence, so everything after it (the
     * whole Explain section and below) showed as one code block. As in CommonMark, a block opened by N backticks is
     * closed by a line of at least N backticks and nothing else; inside it, other fences are content.
     */
    @Test
    void everyCodeBlockIsClosed() throws Exception {
        List<String> lines = readme().lines().toList();
        Pattern fence = Pattern.compile("^\\s{0,3}(`{3,})(.*)$");
        int open = 0;
        int openedAt = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = fence.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            if (open == 0) {
                open = m.group(1).length();
                openedAt = i + 1;
            } else if (m.group(1).length() >= open && m.group(2).isBlank()) {
                open = 0;
            }
        }
        assertThat(open).as("the code block opened at line %d of README.md is never closed", openedAt).isZero();
    }

    /** Top-level entries of the repository; a backticked path that starts with one of them must exist. */
    private static final List<String> TOP_LEVEL = List.of("app", "bench", "golden", "profiles", "tools", ".ci", "redisgen", "pom.xml");

    @Test
    void everyRelativeLinkAndRepositoryPathResolves() throws Exception {
        String text = readme();
        List<String> broken = new ArrayList<>();
        Matcher link = Pattern.compile("\\]\\(([^)\\s]+)\\)").matcher(text);
        while (link.find()) {
            String target = link.group(1);
            if (target.matches("[a-z]+:.*")) {
                continue;
            }
            if (target.startsWith("#")) {
                if (!anchors(text).contains(target.substring(1))) {
                    broken.add("link to the missing anchor " + target);
                }
            } else if (!Files.exists(Path.of(target.replaceFirst("#.*", "")))) {
                broken.add("link to the missing file " + target);
            }
        }
        Matcher code = Pattern.compile("`([^`\\s<>{}]+)`").matcher(text);
        while (code.find()) {
            String path = code.group(1).replaceFirst("^\\./", "");
            // "`/`" (the character itself) splits into nothing.
            String first = path.split("/").length == 0 ? "" : path.split("/")[0];
            if (TOP_LEVEL.contains(first) && !resolves(path)) {
                broken.add("`" + code.group(1) + "`");
            }
            if (path.endsWith(".md") && !repositoryFileNames().contains(Path.of(path).getFileName().toString())) {
                broken.add("`" + code.group(1) + "` (no such file in the repository)");
            }
        }
        assertThat(broken).as("references in README.md that a reader of the repository cannot follow").isEmpty();
    }

    /** Seeds are named by number all over the README: each number is in the seeds table, which says what it is. */
    @Test
    void everySeedMentionedIsExplained() throws Exception {
        String text = readme();
        String table = between(text, "<!-- seeds:begin -->", "<!-- seeds:end -->");
        Set<String> explained = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| (0\\d\\d) \\| (.+) \\|$").matcher(table);
        while (row.find()) {
            assertThat(row.group(2)).as("what seed %s is", row.group(1)).hasSizeGreaterThan(20);
            explained.add(row.group(1));
        }
        assertThat(explained).isNotEmpty();
        Set<String> mentioned = new TreeSet<>();
        Matcher number = Pattern.compile("\\b0\\d\\d\\b").matcher(text.replace(table, ""));
        while (number.find()) {
            mentioned.add(number.group());
        }
        assertThat(explained).as("seed numbers in the README").containsAll(mentioned);
        assertThat(text.indexOf("<!-- seeds:begin -->")).as("the seeds are explained before their first mention")
                .isLessThan(text.indexOf("seed 0"));
    }

    /** An issue tracker is not part of the repository: "the issue's seven" or "the issue's target" mean nothing to a reader. */
    @Test
    void noReferenceToAnIssue() throws Exception {
        Matcher issue = Pattern.compile("(?i)[^\n]*\\bthe issue\\b[^\n]*").matcher(readme());
        assertThat(issue.find() ? issue.group() : null).as("a line of README.md that refers to an issue").isNull();
    }

    /** The Node.js version the README asks for is the validator's, and the install step is spelled out as CI runs it. */
    @Test
    void nodeVersionAndInstallStepMatchTheValidator() throws Exception {
        String packageJson = Files.readString(Path.of("tools/validate-k8s/package.json"));
        Matcher engines = Pattern.compile("\"engines\":\\s*\\{\\s*\"node\":\\s*\">=(\\d+)\"").matcher(packageJson);
        assertThat(engines.find()).as("engines.node in tools/validate-k8s/package.json").isTrue();
        String text = readme();
        assertThat(text.contains("Node.js " + engines.group(1) + " or later")).as("README asks for Node.js %s or later", engines.group(1))
                .isTrue();
        String install = "npm ci --prefix tools/validate-k8s";
        assertThat(text.contains(install)).as("README spells out %s", install).isTrue();
        assertThat(Files.readString(Path.of(".ci/run"))).contains(install)
                .as(".ci/run checks for the Node.js the validator needs before it runs npm").contains("\nnode_min=" + engines.group(1) + "\n");
        assertThat(Files.readString(Path.of("app/src/test/java/dev/redisgen/validate/ValidateSchemaTest.java")))
                .contains("NODE_MAJOR = " + engines.group(1) + ";");
    }

    private static boolean resolves(String path) throws IOException {
        if (!path.contains("*")) {
            return Files.exists(Path.of(path));
        }
        Path dir = Path.of(path).getParent();
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + path);
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(glob::matches);
        }
    }

    private static Set<String> repositoryFileNames() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("."))) {
            return files.filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/node_modules/")
                                     && !f.toString().contains("/.git/"))
                    .map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** Explicit {@code <a id>} anchors and the anchors GitHub derives from headings. */
    private static Set<String> anchors(String text) {
        Set<String> anchors = new TreeSet<>();
        Matcher id = Pattern.compile("<a id=\"([^\"]+)\"></a>").matcher(text);
        while (id.find()) {
            anchors.add(id.group(1));
        }
        Matcher heading = Pattern.compile("(?m)^#+ (.+)$").matcher(text);
        while (heading.find()) {
            anchors.add(heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return anchors;
    }
}
