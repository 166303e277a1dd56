package dev.redisgen.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.cli.InProcessCli;
import dev.redisgen.emit.YamlWriter;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.Constructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Issue 9's promise, tried on a generated corpus: every string, number, boolean and list of the built-in profiles is
 * replaced, one at a time, by the values the API server's own validation tests feed it (empty, 63/64/253/254
 * characters, upper case, dots, leading and trailing dashes, unicode, spaces, slashes; negative, zero, huge and
 * fractional numbers; empty lists, duplicate and empty items). Each mutant goes through {@code redisgen render
 * --profile -} in this JVM and must either
 * <ul>
 *   <li>be refused: exit 2, nothing on stdout, every error located as {@code <stdin>:line:column}, no stack trace; or</li>
 *   <li>render (exit 0), and its output pass the offline validators: the OpenAPI schemas with unknown fields
 *       (tools/validate-k8s, each distinct object once, in one node run), the admission checks of
 *       {@link AdmissionTest} and the restricted Pod Security Standard of {@link PodSecurityRestrictedTest}.</li>
 * </ul>
 * The counts are printed and asserted: mutants = refused + rendered, and rendered = accepted.
 */
class MutantCorpusTest {
    static final List<String> PROFILES = List.of("airflow", "analytics-cluster", "gateway-ha", "jewelry-shop");
    private static final String PREFIX = "mutant ";
    private static final Pattern LOCATED = Pattern.compile("<stdin>:[1-9][0-9]*:[1-9][0-9]*: error\\[[a-z0-9-]+\\]: .*");

    static boolean isMutant(String key) {
        return key.startsWith(PREFIX);
    }

    /** The edge cases of the API server's validation tests for strings: lengths at and past 63 and 253, and characters. */
    static final List<Object> STRINGS = List.of(
            "", "a".repeat(63), "a".repeat(64), "a".repeat(253), "a".repeat(254),
            "UPPER", "with.dots", "-leading", "trailing-", "under_score", "ünïcödé", "with space", "a/b/c", "x:y");
    /** Negative, zero, past a port, at and past int32, huge, fractional. */
    static final List<Object> NUMBERS = List.of(-1, 0, 65536, Integer.MAX_VALUE, 2147483648L, 1e30, 0.5);

    /** One mutant: which profile, what changed, and the YAML. */
    record Mutant(String profile, String change, String yaml) {
    }

    @Test
    void everyMutantIsRefusedWithALocationOrRendersAcceptedOutput(@TempDir Path tmp) throws IOException {
        String nodeProblem = ValidateSchemaTest.unavailable();
        Assumptions.assumeTrue(nodeProblem == null, () -> nodeProblem);
        long started = System.nanoTime();
        List<Mutant> mutants = new ArrayList<>();
        for (String profile : PROFILES) {
            Object doc = load(Files.readString(Path.of("profiles", profile + ".yaml")));
            mutate(profile, doc, doc, "", mutants);
        }

        // Mutants are independent: judged on every core, then counted in corpus order.
        List<Outcome> outcomes = new java.util.concurrent.ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .submit(() -> java.util.stream.IntStream.range(0, mutants.size()).parallel().mapToObj(i -> judge(i, mutants.get(i))).toList())
                .join();
        int refused = 0;
        int rendered = 0;
        List<String> failures = new ArrayList<>();
        java.util.Set<String> renderedButRejected = new java.util.TreeSet<>();
        Map<String, Integer> refusedBy = new TreeMap<>();
        // Each distinct object once: most mutants change one field of one object.
        Map<String, String> objectFiles = new LinkedHashMap<>();
        Map<String, List<String>> objectUsers = new TreeMap<>();
        for (Outcome o : outcomes) {
            failures.addAll(o.failures());
            if (o.refusedBy() != null) {
                refused++;
                refusedBy.merge(o.refusedBy(), 1, Integer::sum);
            }
            if (o.rendered()) {
                rendered++;
                if (!o.failures().isEmpty()) {
                    renderedButRejected.add(o.id());
                }
                for (String text : o.objects()) {
                    String file = objectFiles.computeIfAbsent(sha256(text), h -> {
                        Path p = tmp.resolve("o" + objectFiles.size() + ".yaml");
                        write(p, text);
                        return p.toString();
                    });
                    objectUsers.computeIfAbsent(file, k -> new ArrayList<>()).add(o.id());
                }
            }
        }
        long renderedAt = System.nanoTime();

        // The schema validation: one node run over every distinct object, in batches that keep the command line short.
        List<String> files = new ArrayList<>(objectFiles.values());
        java.util.Set<String> rejectedMutants = new java.util.TreeSet<>();
        for (int from = 0; from < files.size(); from += 2000) {
            List<String> command = new ArrayList<>(List.of("node", ValidateSchemaTest.SCRIPT.toString(), "--each"));
            command.addAll(files.subList(from, Math.min(files.size(), from + 2000)));
            ValidateSchemaTest.Run r = ValidateSchemaTest.run(command, "", 300);
            for (String line : r.stdout().lines().toList()) {
                String file = line.substring(0, line.indexOf(": "));
                List<String> users = objectUsers.getOrDefault(file, List.of());
                rejectedMutants.addAll(users);
                failures.add((users.isEmpty() ? file : users.get(0) + (users.size() > 1 ? " (and " + (users.size() - 1) + " more)" : ""))
                        + ": schema: " + line.substring(line.indexOf(": ") + 2));
            }
            assertThat(r.exit()).as("validate-k8s exit: " + r.stderr()).isIn(0, 1);
        }
        int schemaRejected = rejectedMutants.size();
        renderedButRejected.addAll(rejectedMutants);
        long done = System.nanoTime();
        int accepted = rendered - renderedButRejected.size();
        System.out.printf("[mutant corpus] %d mutants of %s: %d refused with a location, %d rendered, %d rendered and accepted"
                        + " (%d distinct objects schema-validated, %d mutants rejected by the schema); render %.1f s, validate %.1f s%n",
                mutants.size(), PROFILES, refused, rendered, accepted, objectFiles.size(), schemaRejected,
                (renderedAt - started) / 1e9, (done - renderedAt) / 1e9);
        System.out.println("[mutant corpus] refused by (first error's rule): " + refusedBy);
        assertThat(failures).as("mutants that crashed, were refused without a location, or rendered output a validator rejects")
                .isEmpty();
        assertThat(refused + rendered).as("every mutant is refused or rendered").isEqualTo(mutants.size());
        assertThat(accepted).as("every rendered mutant is accepted").isEqualTo(rendered);
        // The corpus really exercises both outcomes (most string fields are enums, quantities or names, so most mutants are refused).
        assertThat(refused).isGreaterThan(mutants.size() / 2);
        assertThat(rendered).isGreaterThan(mutants.size() / 20);
    }

    /**
     * What became of one mutant: refused (the rule of its first error), or rendered (each object's YAML), and what went
     * wrong on the way (a crash, a refusal without a location, an admission or Pod Security finding).
     */
    record Outcome(String id, String refusedBy, boolean rendered, List<String> objects, List<String> failures) {
    }

    static Outcome judge(int index, Mutant m) {
        String id = m.profile() + " " + m.change();
        List<String> failures = new ArrayList<>();
        InProcessCli.Run run;
        try {
            run = InProcessCli.run(m.yaml(), "render", "--profile", "-");
        } catch (RuntimeException | Error e) {
            return new Outcome(id, null, false, List.of(), List.of(id + ": crashed in process: " + e));
        }
        if (run.err().contains("\tat ") || run.err().contains("Exception")) {
            return new Outcome(id, null, false, List.of(), List.of(id + ": stack trace or exception on stderr (exit " + run.exit() + "):\n" + run.err()));
        }
        if (run.exit() == 2) {
            List<String> errors = run.err().lines().filter(l -> l.contains(": error[")).toList();
            if (!run.out().isEmpty()) {
                return new Outcome(id, null, false, List.of(), List.of(id + ": refused but printed on stdout"));
            }
            if (errors.isEmpty() || !errors.stream().allMatch(l -> LOCATED.matcher(l).matches())) {
                return new Outcome(id, null, false, List.of(), List.of(id + ": refused without a <stdin>:line:column location:\n" + run.err()));
            }
            String first = errors.get(0);
            return new Outcome(id, first.substring(first.indexOf("error[") + 6, first.indexOf(']', first.indexOf("error["))), false, List.of(),
                    List.of());
        }
        if (run.exit() != 0) {
            return new Outcome(id, null, false, List.of(), List.of(id + ": exit " + run.exit() + ":\n" + run.err()));
        }
        List<HasMetadata> objects = Pipeline.render(ProfileLoader.parse("<stdin>", m.yaml())).objects();
        if (!YamlWriter.write(objects).equals(run.out())) {
            failures.add(id + ": the in-process render differs from the CLI's output");
        }
        String key = PREFIX + index;
        Rendered.register(key, objects);
        try {
            Findings f = new Findings();
            AdmissionTest.check(key, f);
            for (Rendered.Workload w : Rendered.workloads(key)) {
                PodSecurityRestrictedTest.check(key, w, f);
            }
            f.all().forEach((k, v) -> failures.add(id + ": " + k.substring(key.length() + 1) + " — " + v));
        } finally {
            Rendered.forget(key);
        }
        return new Outcome(id, null, true, objects.stream().map(o -> YamlWriter.write(List.of(o))).toList(), failures);
    }

    // ---- the corpus ---------------------------------------------------------------------------------------------

    /** Every mutation of every value under {@code node}, applied to a copy of the whole document {@code root}. */
    @SuppressWarnings("unchecked")
    static void mutate(String profile, Object root, Object node, String path, List<Mutant> out) {
        if (node instanceof Map<?, ?> map) {
            for (Object key : new ArrayList<>(map.keySet())) {
                String p = path + "/" + key;
                Object value = map.get(key);
                if (value instanceof Map || value instanceof List) {
                    mutate(profile, root, value, p, out);
                }
                for (Object replacement : replacements(value)) {
                    ((Map<Object, Object>) map).put(key, replacement);
                    out.add(new Mutant(profile, p + " = " + show(replacement), dump(root)));
                }
                ((Map<Object, Object>) map).put(key, value);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String p = path + "/" + i;
                Object value = list.get(i);
                if (value instanceof Map || value instanceof List) {
                    mutate(profile, root, value, p, out);
                }
                for (Object replacement : replacements(value)) {
                    ((List<Object>) list).set(i, replacement);
                    out.add(new Mutant(profile, p + " = " + show(replacement), dump(root)));
                }
                ((List<Object>) list).set(i, value);
            }
        }
    }

    /** What a value is replaced by: strings and numbers by the edge cases, booleans by the other, lists by empty and duplicated ones. */
    static List<Object> replacements(Object value) {
        if (value instanceof String) {
            return STRINGS.stream().filter(s -> !s.equals(value)).toList();
        }
        if (value instanceof Number) {
            List<Object> out = new ArrayList<>(NUMBERS);
            out.add(String.valueOf(value)); // the number written as a string
            return out;
        }
        if (value instanceof Boolean b) {
            return List.of(!b, String.valueOf(b));
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            out.add(new ArrayList<>());
            if (!list.isEmpty()) {
                List<Object> duplicated = new ArrayList<>(list);
                duplicated.add(list.get(0));
                out.add(duplicated);
                if (list.get(0) instanceof String) {
                    List<Object> withEmpty = new ArrayList<>(list);
                    withEmpty.add("");
                    out.add(withEmpty);
                }
            }
            return out;
        }
        return List.of();
    }

    private static String show(Object value) {
        String s = value instanceof String str ? "\"" + str + "\"" : String.valueOf(value);
        return s.length() > 40 ? s.substring(0, 20) + "…(" + s.length() + ")" : s;
    }

    /**
     * YAML as the profile loader reads it: only true and false are booleans (`aof: off` is the word off), so a mutant
     * changes the one value it means to, and the dump quotes a string only where the loader would read something else.
     */
    static final class ProfileResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tfTF");
            addImplicitResolver(Tag.INT, Resolver.INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, Resolver.FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.NULL, Resolver.NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, Resolver.EMPTY, null);
        }
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(new Constructor(new LoaderOptions()), new Representer(options), options, new LoaderOptions(), new ProfileResolver());
    }

    private static Object load(String text) {
        return yaml().load(text);
    }

    private static String dump(Object root) {
        return yaml().dump(root);
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
