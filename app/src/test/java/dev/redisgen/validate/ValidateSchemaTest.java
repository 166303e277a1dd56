package dev.redisgen.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * OpenAPI schema validation of the exact YAML users get, with a real validator:
 * tools/validate-k8s (kubernetes-models + @kubernetes-models/prometheus-operator, ajv, plus a strict
 * unknown-field walk). Needs Node.js 20 or later and the tool's node_modules: when they are missing this
 * class runs {@code npm ci --prefix tools/validate-k8s} itself (the versions are pinned by its
 * package-lock.json). If that cannot be done, it fails under CI=true; on a workstation every test is
 * reported skipped with the reason (it used to report 0 tests run, as if there were none).
 */
class ValidateSchemaTest {
    static final Path TOOL = Path.of("tools/validate-k8s");
    static final Path SCRIPT = TOOL.resolve("validate.mjs");
    static final List<String> PROFILES = Rendered.PROFILES;
    static final int NODE_MAJOR = 20;
    static final List<String> NPM_CI = List.of("npm", "ci", "--prefix", TOOL.toString(), "--no-audit", "--no-fund");

    record Run(int exit, String stdout, String stderr) {
    }

    /** Why the validator cannot run here, or null when it can. */
    private static String missing;

    @BeforeAll
    static void requireNode() {
        missing = unavailable();
    }

    private static boolean checked;

    /**
     * Why the validator cannot run here (null when it can), installing its packages first when only they are missing.
     * Under CI=true a reason fails the calling test; otherwise it is printed and the caller skips.
     */
    static synchronized String unavailable() {
        if (checked) {
            return missing;
        }
        checked = true;
        missing = nodeProblem();
        if (missing == null && !installed()) {
            // The one missing piece a test run can supply itself: the packages, pinned by package-lock.json.
            System.err.println("ValidateSchemaTest: node_modules of " + TOOL + " not installed; running " + String.join(" ", NPM_CI));
            Run npm = install();
            if (npm.exit() != 0) {
                missing = String.join(" ", NPM_CI) + " failed (exit " + npm.exit() + "): " + lastLines(npm.stdout() + npm.stderr());
            } else if (!installed()) {
                missing = String.join(" ", NPM_CI) + " did not install kubernetes-models, @kubernetes-models/prometheus-operator and yaml";
            }
        }
        if (missing != null) {
            String how = " (run: " + String.join(" ", NPM_CI) + "; needs Node.js " + NODE_MAJOR + "+ and npm)";
            if ("true".equals(System.getenv("CI"))) {
                fail(missing + how);
            }
            missing = missing + how + "; every test that runs it is skipped, CI=true makes this a failure";
            System.err.println("WARNING: " + missing);
        }
        return missing;
    }

    /** Each test reports the skip and its reason (an aborted @BeforeAll made surefire count 0 tests, silently). */
    @BeforeEach
    void validatorAvailable() {
        Assumptions.assumeTrue(missing == null, () -> missing);
    }

    /** Why node cannot run the validator here, or null when it can (given its node_modules). */
    private static String nodeProblem() {
        if (!Files.isRegularFile(SCRIPT)) {
            return SCRIPT + " not found (working directory " + Path.of("").toAbsolutePath() + ")";
        }
        Run node;
        try {
            node = run(List.of("node", "--version"), "");
        } catch (UncheckedIOException e) {
            return "node is not installed";
        }
        Matcher version = Pattern.compile("v(\\d+)\\.").matcher(node.stdout());
        if (node.exit() != 0 || !version.lookingAt()) {
            return "node does not run: " + node.stdout() + node.stderr();
        }
        if (Integer.parseInt(version.group(1)) < NODE_MAJOR) {
            return "node " + node.stdout().strip() + " is older than " + NODE_MAJOR;
        }
        return null;
    }

    private static boolean installed() {
        return Files.isDirectory(TOOL.resolve("node_modules/kubernetes-models"))
               && Files.isDirectory(TOOL.resolve("node_modules/@kubernetes-models/prometheus-operator"))
               && Files.isDirectory(TOOL.resolve("node_modules/@kubernetes-models/cert-manager"))
               && Files.isDirectory(TOOL.resolve("node_modules/yaml"));
    }

    private static Run install() {
        try {
            return run(NPM_CI, "", 600);
        } catch (UncheckedIOException e) {
            return new Run(127, "", "npm is not installed");
        }
    }

    private static String lastLines(String text) {
        List<String> lines = text.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    static Run run(List<String> command, String stdin) {
        return run(command, stdin, 60);
    }

    static Run run(List<String> command, String stdin, int timeoutSeconds) {
        try {
            Path in = Files.createTempFile("validate", ".yaml");
            Path out = Files.createTempFile("validate", ".out");
            Path err = Files.createTempFile("validate", ".err");
            try {
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
                Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    fail("timed out: " + command);
                }
                return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Run validate(String yaml) {
        return run(List.of("node", SCRIPT.toString()), yaml);
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void renderedOutputMatchesTheOpenApiSchemas(String profile) {
        Run r = validate(Rendered.yaml(profile));
        assertThat(r.exit()).as("validate-k8s on " + profile + ":\n" + r.stdout() + r.stderr()).isZero();
        assertThat(r.stderr()).contains(Rendered.objects(profile).size() + " objects, 0 problems");
    }

    /** The validator really catches wrong types, bad enums, unknown fields (its own strict walk: ajv does not) and unknown kinds. */
    @Test
    void validatorCatchesBrokenObjects() throws IOException {
        Run r = validate(Files.readString(Path.of("app/src/test/resources/validate/bad-statefulset.yaml")));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).contains(
                "StatefulSet/bad: /spec/replicas: must be integer",
                "StatefulSet/bad: /spec/template/spec/containers/0/imagePullPolicy: must be equal to one of the allowed values",
                "StatefulSet/bad: /spec/template/spec/containers/0/ports/0/containerPort: must be integer",
                "StatefulSet/bad: /spec/template/spec/containers/0/securityContext/readOnlyRootFileSystem: unknown field",
                "StatefulSet/bad: /spec/template/spec/containers/1/livenessProbe/initialDelaySecond: unknown field",
                "StatefulSet/bad: /spec/volumeClaimTemplate: unknown field",
                "ServiceMonitor/bad: /spec/endpoints/0/intervall: unknown field",
                "Certificate/bad: /spec/ipAdresses: unknown field",
                "Certificate/bad: /spec/issuerRef/kind: must be string",
                "Pod/not-in-the-list: /: unknown apiVersion/kind v1/Pod");
        assertThat(r.stdout().lines().count()).isEqualTo(10);
    }
}
