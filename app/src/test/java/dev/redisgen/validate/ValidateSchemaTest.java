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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * OpenAPI schema validation of the exact YAML users get, with a real validator:
 * tools/validate-k8s (kubernetes-models + @kubernetes-models/prometheus-operator, ajv, plus a strict
 * unknown-field walk). Needs node and `npm ci --prefix tools/validate-k8s`; skipped without them on
 * a workstation, failed under CI=true.
 */
class ValidateSchemaTest {
    static final Path TOOL = Path.of("tools/validate-k8s");
    static final Path SCRIPT = TOOL.resolve("validate.mjs");
    static final List<String> PROFILES = Rendered.PROFILES;

    record Run(int exit, String stdout, String stderr) {
    }

    @BeforeAll
    static void requireNode() {
        String missing = null;
        if (!Files.isRegularFile(SCRIPT)) {
            missing = SCRIPT + " not found (working directory " + Path.of("").toAbsolutePath() + ")";
        } else if (!Files.isDirectory(TOOL.resolve("node_modules/kubernetes-models"))
                   || !Files.isDirectory(TOOL.resolve("node_modules/@kubernetes-models/prometheus-operator"))) {
            missing = "node_modules of " + TOOL + " not installed";
        } else {
            try {
                if (run(List.of("node", "--version"), "").exit() != 0) missing = "node does not run";
            } catch (UncheckedIOException e) {
                missing = "node is not installed";
            }
        }
        if (missing != null) {
            String how = " (run: npm ci --prefix tools/validate-k8s; needs Node.js 20+)";
            if ("true".equals(System.getenv("CI"))) fail(missing + how);
            Assumptions.abort(missing + how + "; skipped, CI=true makes this a failure");
        }
    }

    static Run run(List<String> command, String stdin) {
        try {
            Path in = Files.createTempFile("validate", ".yaml");
            Path out = Files.createTempFile("validate", ".out");
            Path err = Files.createTempFile("validate", ".err");
            try {
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
                Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
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
                "Pod/not-in-the-list: /: unknown apiVersion/kind v1/Pod");
        assertThat(r.stdout().lines().count()).isEqualTo(8);
    }
}
