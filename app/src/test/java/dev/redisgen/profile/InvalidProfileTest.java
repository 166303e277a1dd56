package dev.redisgen.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Location;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One fixture per kind of broken input; each pins rule, message, fix and the exact line and column. */
class InvalidProfileTest {

    static String fixture(String name) {
        try (InputStream in = InvalidProfileTest.class.getResourceAsStream("/profiles/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<Diagnostic> diagnostics(String fixture) {
        String file = "invalid/" + fixture;
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.parse(file, fixture(file)));
        assertThat(e).as("%s must be refused", file).isNotNull();
        return e.diagnostics();
    }

    static Diagnostic only(String fixture) {
        List<Diagnostic> all = diagnostics(fixture);
        assertThat(all).as(fixture).hasSize(1);
        return all.get(0);
    }

    static void assertAt(Diagnostic d, String fixture, int line, int column) {
        assertThat(d.location()).isEqualTo(new Location("invalid/" + fixture, line, column));
        assertThat(d.isError()).isTrue();
    }

    @Test
    void unknownKeyTypoSuggestsTheFieldAndListsTheValidOnes() {
        Diagnostic d = only("unknown-key-typo.yaml");
        assertThat(d.ruleId()).isEqualTo("unknown-field");
        assertThat(d.message()).isEqualTo("unknown field 'qurom' in deployments[0].sentinel; did you mean 'quorum'?");
        assertThat(d.fix()).isEqualTo("valid fields in deployments[0].sentinel: placement, masterName, quorum, replicas, "
                + "downAfterMilliseconds, failoverTimeoutMilliseconds, parallelSyncs, address, monitor, storage");
        assertAt(d, "unknown-key-typo.yaml", 8, 7);
    }

    @Test
    void quotedWordForAnIntegerIsAWrongType() {
        Diagnostic d = only("wrong-type-quorum-string.yaml");
        assertThat(d.ruleId()).isEqualTo("wrong-type");
        assertThat(d.message()).isEqualTo("expected an integer at deployments[0].sentinel.quorum, got the string 'three'");
        assertThat(d.fix()).isEqualTo("write a whole number without quotes, e.g. `quorum: 2`");
        assertAt(d, "wrong-type-quorum-string.yaml", 8, 15);
    }

    @Test
    void duplicateKeyPointsAtTheSecondOne() {
        Diagnostic d = only("duplicate-key.yaml");
        assertThat(d.ruleId()).isEqualTo("duplicate-key");
        assertThat(d.message()).isEqualTo("duplicate key 'quorum' in deployments[0].sentinel (first set on line 8)");
        assertThat(d.fix()).isEqualTo("keep one of them");
        assertAt(d, "duplicate-key.yaml", 10, 7);
    }

    @Test
    void missingRequiredSectionPointsAtItsParentAndShowsWhatToAdd() {
        Diagnostic d = only("missing-namespace.yaml");
        assertThat(d.ruleId()).isEqualTo("missing-field");
        assertThat(d.message()).isEqualTo("missing required field 'namespace' at the top level");
        assertThat(d.fix()).isEqualTo("add `namespace: {name: <string>}` — The namespace the objects live in, and what it enforces.");
        assertAt(d, "missing-namespace.yaml", 1, 1);
    }

    @Test
    void explicitNullOnARequiredFieldIsMissingAndPointsAtTheKey() {
        Diagnostic d = only("missing-required-null.yaml");
        assertThat(d.ruleId()).isEqualTo("missing-field");
        assertThat(d.message()).isEqualTo("missing required field 'name' in namespace");
        assertThat(d.fix()).isEqualTo("add `name: <string>` — Namespace name.");
        assertAt(d, "missing-required-null.yaml", 3, 3);
    }

    @Test
    void yamlSyntaxErrorIsOneCleanLine() {
        Diagnostic d = only("yaml-syntax-error.yaml");
        assertThat(d.ruleId()).isEqualTo("yaml-syntax");
        assertThat(d.message()).isEqualTo("mapping values are not allowed here");
        assertThat(d.message()).doesNotContain("org.yaml", "Exception", "\n");
        assertThat(d.fix()).startsWith("check the indentation and quoting");
        assertAt(d, "yaml-syntax-error.yaml", 6, 23);
    }

    @Test
    void unclosedFlowMappingNamesTheCause() {
        Diagnostic d = only("unclosed-flow-mapping.yaml");
        assertThat(d.ruleId()).isEqualTo("yaml-syntax");
        assertThat(d.message()).isEqualTo("expected ',' or '}', but it is not closed on this line"
                + " (while parsing a flow mapping that starts on line 2)");
        assertAt(d, "unclosed-flow-mapping.yaml", 3, 12);
    }

    @Test
    void tabIndentationSaysSo() {
        Diagnostic d = only("tab-indent.yaml");
        assertThat(d.ruleId()).isEqualTo("yaml-syntax");
        assertThat(d.message()).isEqualTo("found a tab character where YAML expects spaces");
        assertThat(d.fix()).isEqualTo("indent with spaces; YAML does not allow tabs for indentation");
        assertAt(d, "tab-indent.yaml", 3, 1);
    }

    @Test
    void twoDocumentsAreRefused() {
        Diagnostic d = only("two-documents.yaml");
        assertThat(d.ruleId()).isEqualTo("yaml-syntax");
        assertThat(d.message()).isEqualTo("expected a single document in the stream, but found another document");
        assertThat(d.fix()).startsWith("a profile is one YAML document");
        assertAt(d, "two-documents.yaml", 2, 1);
    }

    @Test
    void emptyFileAndCommentsOnlyAreEmptyProfiles() {
        for (String fixture : List.of("empty.yaml", "comments-only.yaml")) {
            Diagnostic d = only(fixture);
            assertThat(d.ruleId()).isEqualTo("empty-profile");
            assertThat(d.message()).isEqualTo("the profile is empty");
            assertThat(d.fix()).contains("`name: my-redis`", "`namespace: {name: my-redis}`", "`deployments: [{name: redis, topology: standalone}]`");
            assertAt(d, fixture, 1, 1);
        }
    }

    @Test
    void badEnumValueSuggestsTheClosestAndListsAll() {
        Diagnostic d = only("bad-enum-topology.yaml");
        assertThat(d.ruleId()).isEqualTo("invalid-value");
        assertThat(d.message()).isEqualTo("unknown value 'sentinal' for deployments[0].topology; did you mean 'sentinel'?");
        assertThat(d.fix()).isEqualTo("write one of: sentinel, cluster, standalone");
        assertAt(d, "bad-enum-topology.yaml", 6, 15);
    }

    @Test
    void badCpuQuantityCarriesTheParserMessage() {
        Diagnostic d = only("bad-cpu-quantity.yaml");
        assertThat(d.ruleId()).isEqualTo("invalid-value");
        assertThat(d.message()).isEqualTo("deployments[0].resources.redis.requests.cpu: '2 cores' is not a CPU quantity; "
                + "write millicores like 250m or cores like 2 or 0.5");
        assertThat(d.fix()).isEqualTo("write a CPU quantity as Kubernetes writes it: `250m`, `2`, `0.5`");
        assertAt(d, "bad-cpu-quantity.yaml", 9, 25);
    }

    @Test
    void listWhereAMappingBelongs() {
        Diagnostic d = only("list-instead-of-mapping.yaml");
        assertThat(d.ruleId()).isEqualTo("wrong-type");
        assertThat(d.message()).isEqualTo("expected a mapping at namespace, got a list");
        assertThat(d.fix()).isEqualTo("remove the '- ': `namespace` is one mapping, not a list; "
                + "write its fields as `name: value` lines (name, create, podSecurity, labels, limitRange, resourceQuota)");
        assertAt(d, "list-instead-of-mapping.yaml", 3, 3);
    }

    @Test
    void rootMustBeAMapping() {
        Diagnostic d = only("root-is-list.yaml");
        assertThat(d.ruleId()).isEqualTo("wrong-type");
        assertThat(d.message()).isEqualTo("expected a mapping at the top level, got a list");
        assertAt(d, "root-is-list.yaml", 1, 1);
    }

    @Test
    void kubernetesNamesMustBeDnsLabels() {
        Diagnostic d = only("not-a-dns-name.yaml");
        assertThat(d.ruleId()).isEqualTo("invalid-value");
        assertThat(d.message()).startsWith("'Redis_Prod' is not a valid Kubernetes name for namespace.name; it must be a DNS label (RFC 1123)");
        assertThat(d.fix()).isEqualTo("write e.g. 'redis-prod'");
        assertAt(d, "not-a-dns-name.yaml", 3, 9);
    }

    @Test
    void leadingZeroIntegersAreRefusedBecauseYaml11ReadsThemAsOctal() {
        Diagnostic d = only("octal-integer.yaml");
        assertThat(d.ruleId()).isEqualTo("invalid-value");
        assertThat(d.message()).isEqualTo("'02' at deployments[0].sentinel.quorum is not a plain decimal integer");
        assertAt(d, "octal-integer.yaml", 8, 15);
    }

    @Test
    void globalTagsNeverConstructAnything() {
        Diagnostic d = only("custom-tag.yaml");
        assertThat(d.ruleId()).isEqualTo("wrong-type");
        assertThat(d.message()).isEqualTo("the YAML tag '!!python/object:os.system' is not allowed; a profile is plain data");
        assertThat(d.fix()).isEqualTo("remove the tag '!!python/object:os.system'");
        assertAt(d, "custom-tag.yaml", 2, 12);
    }

    @Test
    void localTagsAreRefusedToo() {
        Diagnostic d = only("local-tag.yaml");
        assertThat(d.ruleId()).isEqualTo("wrong-type");
        assertThat(d.message()).isEqualTo("the YAML tag '!secret' is not allowed at namespace.name; a profile is plain data");
        assertAt(d, "local-tag.yaml", 3, 9);
    }

    @Test
    void everyProblemInTheDocumentIsReportedInDocumentOrder() {
        List<Diagnostic> all = diagnostics("several-problems.yaml");
        assertThat(all).extracting(Diagnostic::ruleId)
                .containsExactly("wrong-type", "wrong-type", "missing-field", "unknown-field");
        assertThat(all).extracting(d -> d.location().line() + ":" + d.location().column())
                .containsExactly("4:11", "8:15", "12:7", "13:5");
        assertThat(all.get(0).message()).isEqualTo("expected true or false at namespace.create, got 'yes'");
        assertThat(all.get(0).fix()).contains("yes, no, on and off are not booleans");
        assertThat(all.get(1).message()).isEqualTo("expected an integer at deployments[0].replicas, got the string '3'");
        assertThat(all.get(2).message()).isEqualTo("missing required field 'size' in deployments[0].persistence");
        assertThat(all.get(2).fix()).isEqualTo("add `size: <memory quantity>` — PVC size per Redis pod.");
        assertThat(all.get(3).message()).isEqualTo("unknown field 'imagee' in deployments[0]; did you mean 'image'?");
    }

    @Test
    void missingFileSaysSoAndNamesTheBuiltins(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.load(missing));
        Diagnostic d = e.diagnostics().get(0);
        assertThat(d.ruleId()).isEqualTo("no-such-file");
        assertThat(d.message()).isEqualTo("no such file: " + missing);
        assertThat(d.fix()).isEqualTo("check the path, or use a built-in profile: airflow, analytics-cluster, gateway-ha, jewelry-shop");
        assertThat(d.location()).isEqualTo(Location.ofFile(missing.toString()));
    }

    @Test
    void directoryIsNotAProfile(@TempDir Path dir) {
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.load(dir));
        assertThat(e.diagnostics().get(0).ruleId()).isEqualTo("unreadable-file");
        assertThat(e.diagnostics().get(0).message()).isEqualTo(dir + " is a directory, not a profile file");
    }

    @Test
    void latin1FileIsNotUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.load(file));
        assertThat(e.diagnostics().get(0).ruleId()).isEqualTo("unreadable-file");
        assertThat(e.diagnostics().get(0).message()).isEqualTo(file + " is not UTF-8 text");
    }

    @Test
    void fileErrorsUseTheFileNameAsTheDiagnosticsFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, fixture("invalid/unknown-key-typo.yaml"));
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.load(file));
        assertThat(e.diagnostics().get(0).location()).isEqualTo(new Location(file.toString(), 8, 7));
        assertThat(e.getMessage()).isEqualTo(e.diagnostics().get(0).format());
    }

    @Test
    void unknownBuiltinSuggestsTheClosestName() {
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.resolve("gateway"));
        Diagnostic d = e.diagnostics().get(0);
        assertThat(d.ruleId()).isEqualTo("no-such-profile");
        assertThat(d.message()).isEqualTo("no built-in profile 'gateway'; did you mean 'gateway-ha'?");
        assertThat(d.fix()).isEqualTo("use one of: airflow, analytics-cluster, gateway-ha, jewelry-shop; or give a path to a profile file");
    }

    @Test
    void unknownBuiltinFarFromAllNamesHasNoSuggestion() {
        assertThatThrownBy(() -> ProfileLoader.loadBuiltin("zzz"))
                .isInstanceOfSatisfying(InputException.class, e ->
                        assertThat(e.diagnostics().get(0).message()).isEqualTo("no built-in profile 'zzz'"));
    }

    @Test
    void refsThatLookLikePathsAreLoadedAsFiles() {
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.resolve("gateway-ha.yaml"));
        assertThat(e.diagnostics().get(0).ruleId()).isEqualTo("no-such-file");
        e = catchThrowableOfType(InputException.class, () -> ProfileLoader.resolve("some/dir/profile"));
        assertThat(e.diagnostics().get(0).ruleId()).isEqualTo("no-such-file");
    }

    @Test
    void howAReferenceIsReadDependsOnHowItIsWrittenNotOnTheCurrentDirectory() {
        assertThat(ProfileLoader.kind("-")).isEqualTo(ProfileLoader.Kind.STDIN);
        assertThat(ProfileLoader.kind("airflow")).isEqualTo(ProfileLoader.Kind.BUILTIN);
        assertThat(ProfileLoader.kind("builtin:airflow")).isEqualTo(ProfileLoader.Kind.BUILTIN);
        assertThat(ProfileLoader.kind("profiles/")).isEqualTo(ProfileLoader.Kind.DIRECTORY);
        assertThat(ProfileLoader.kind("profiles/airflow.yaml")).isEqualTo(ProfileLoader.Kind.FILE);
        assertThat(ProfileLoader.kind("missing.yml")).isEqualTo(ProfileLoader.Kind.FILE);
    }

    @Test
    void aWordThatIsNoBuiltinButAFileHereSaysHowToReadTheFile() {
        // The tests run in the repository root, where golden/ is a directory.
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.kind("golden"));
        Diagnostic d = e.diagnostics().get(0);
        assertThat(d.ruleId()).isEqualTo("no-such-profile");
        assertThat(d.message()).isEqualTo("no built-in profile 'golden' (a word names a built-in profile; the directory 'golden' here is read only as a path)");
        assertThat(d.fix()).isEqualTo("write ./golden/ to read the directory");
    }

    @Test
    void builtinPrefixNamesOnlyBuiltins() {
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.read("builtin:airflw", InputStream.nullInputStream()));
        assertThat(e.diagnostics().get(0).message()).isEqualTo("no built-in profile 'airflw'; did you mean 'airflow'?");
        assertThat(ProfileLoader.read("builtin:airflow", InputStream.nullInputStream())).singleElement()
                .satisfies(t -> assertThat(t.displayName()).isEqualTo("profiles/airflow.yaml"));
    }

    @Test
    void stdinIsNamedAndLimitedLikeAFile() {
        assertThat(ProfileLoader.read("-", new ByteArrayInputStream("name: x\n".getBytes(StandardCharsets.UTF_8))))
                .containsExactly(new LoadedText("<stdin>", "name: x\n"));
        InputException big = catchThrowableOfType(InputException.class,
                () -> ProfileLoader.read("-", new ByteArrayInputStream(new byte[(4 << 20) + 1])));
        assertThat(big.diagnostics().get(0).message()).isEqualTo("the profile passes the limit of 4 MiB (4194304 bytes) here; a profile is a few KiB");
        assertThat(big.diagnostics().get(0).location().file()).isEqualTo("<stdin>");
        InputException latin1 = catchThrowableOfType(InputException.class,
                () -> ProfileLoader.read("-", new ByteArrayInputStream("name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1))));
        assertThat(latin1.diagnostics().get(0).message()).isEqualTo("<stdin> is not UTF-8 text");
        InputException resolve = catchThrowableOfType(InputException.class, () -> ProfileLoader.resolve("-"));
        assertThat(resolve.diagnostics().get(0).location()).isEqualTo(Location.ofFile("<stdin>"));
    }

    @Test
    void builtinNamesAreSorted() {
        assertThat(ProfileLoader.builtinNames()).containsExactly("airflow", "analytics-cluster", "gateway-ha", "jewelry-shop").isSorted();
    }

    private static final String SMALL_PROFILE = """
            name: big
            namespace:
              name: big
            deployments:
              - name: cache
                topology: standalone
            """;

    /** SMALL_PROFILE followed by comment lines of 99 characters and one shorter line, {@code bytes} long in all. */
    private static String padded(int bytes, String fill) {
        StringBuilder text = new StringBuilder(SMALL_PROFILE);
        String line = "# " + fill.repeat(96 / fill.getBytes(StandardCharsets.UTF_8).length) + "\n";
        int lineBytes = line.getBytes(StandardCharsets.UTF_8).length;
        int length = SMALL_PROFILE.length();
        for (; length + lineBytes <= bytes; length += lineBytes) {
            text.append(line);
        }
        text.append("#".repeat(bytes - length));
        assertThat(text.toString().getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return text.toString();
    }

    /** A 3.9 MB profile failed as yaml-syntax "exceeds the limit: 1048576 code points" while 4 MiB was the limit. */
    @Test
    void aProfileUnderTheFourMiBLimitLoadsInsteadOfFailingAsYamlSyntax(@TempDir Path tmp) throws IOException {
        String text = padded(3_900_000, "x");
        assertThat(ProfileLoader.parse("big.yaml", text).profile().name()).isEqualTo("big");
        Path file = Files.writeString(tmp.resolve("big.yaml"), padded(Yamls.MAX_BYTES, "x"), StandardCharsets.UTF_8);
        assertThat(Files.size(file)).isEqualTo(4L << 20);
        assertThat(ProfileLoader.load(file).profile().name()).isEqualTo("big");
        // Characters of three bytes: 4 MiB of UTF-8 are far fewer code points, and they load too.
        assertThat(ProfileLoader.parse("big.yaml", padded(Yamls.MAX_BYTES, "€")).profile().name()).isEqualTo("big");
    }

    /** One byte over: refused with its own rule, where it passes the limit, and the fix; from a file and from text. */
    @Test
    void aProfileOverTheFourMiBLimitIsRefusedWithTheLimitAndWhereItIsPassed(@TempDir Path tmp) throws IOException {
        String text = padded(Yamls.MAX_BYTES + 1, "x");
        int lines = (int) SMALL_PROFILE.lines().count() + (Yamls.MAX_BYTES - SMALL_PROFILE.length()) / 99;
        int column = (Yamls.MAX_BYTES - SMALL_PROFILE.length()) % 99 + 1;
        Path file = Files.writeString(tmp.resolve("huge.yaml"), text, StandardCharsets.UTF_8);
        for (InputException e : List.of(catchThrowableOfType(InputException.class, () -> ProfileLoader.parse("huge.yaml", text)),
                catchThrowableOfType(InputException.class, () -> ProfileLoader.load(file)))) {
            assertThat(e.diagnostics()).hasSize(1);
            Diagnostic d = e.diagnostics().get(0);
            assertThat(d.ruleId()).isEqualTo("profile-too-large");
            assertThat(d.message()).isEqualTo("the profile passes the limit of 4 MiB (4194304 bytes) here; a profile is a few KiB");
            assertThat(d.fix()).startsWith("check that this is the profile you meant");
            assertThat(d.location().line()).isEqualTo(lines + 1);
            assertThat(d.location().column()).isEqualTo(column);
        }
        // Columns count characters, not bytes.
        InputException wide = catchThrowableOfType(InputException.class,
                () -> ProfileLoader.parse("wide.yaml", SMALL_PROFILE + "# " + "€".repeat(Yamls.MAX_BYTES / 3)));
        assertThat(wide.diagnostics().get(0).location())
                .isEqualTo(new Location("wide.yaml", (int) SMALL_PROFILE.lines().count() + 1, 3 + (Yamls.MAX_BYTES - SMALL_PROFILE.length() - 2) / 3));
    }

    /** A wrong path to a large file is not read whole: the check stops one byte past the limit. */
    @Test
    void aHugeFileIsRefusedWithoutReadingItWhole(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("disk.img");
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'x'}), (8L << 30) - 1);
        }
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.load(file));
        assertThat(e.diagnostics().get(0).ruleId()).isEqualTo("profile-too-large");
    }

    /** Standard input that never ends ({@code yes | redisgen lint --profile -}) is read one byte past the limit, then refused. */
    @Test
    void endlessStandardInputIsRefusedOneBytePastTheLimit() {
        long[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return '#';
            }
        };
        for (java.util.function.Supplier<Object> reader : List.<java.util.function.Supplier<Object>>of(
                () -> ProfileLoader.read("-", endless), () -> ProfileLoader.readValues("-", endless))) {
            read[0] = 0;
            InputException e = catchThrowableOfType(InputException.class, reader::get);
            assertThat(e.diagnostics()).singleElement().satisfies(d -> {
                assertThat(d.ruleId()).isEqualTo("profile-too-large");
                assertThat(d.location()).isEqualTo(new Location("<stdin>", 1, Yamls.MAX_BYTES + 1));
            });
            assertThat(read[0]).isEqualTo(Yamls.MAX_BYTES + 1);
        }
    }

    @Test
    void aliasBombIsRefused() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x]\n");
        for (int i = 0; i < 60; i++) {
            yaml.append("b").append(i).append(": [*a, *a]\n");
        }
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.parse("bomb.yaml", yaml.toString()));
        assertThat(e.diagnostics().get(0).ruleId()).isEqualTo("yaml-syntax");
    }
}
