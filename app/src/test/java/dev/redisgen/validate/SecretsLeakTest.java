package dev.redisgen.validate;

import static dev.redisgen.validate.Rendered.nonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * SPEC "Auth": passwords come from a Secret and reach Redis, Sentinel and the exporter through env
 * or a mounted file, never as literals in a ConfigMap, an arg or the output. Every built-in profile
 * uses auth. No rendered Secret exists (they are created outside redisgen), so a leak can only be a
 * literal where a reference should be: that is what this test looks for.
 */
class SecretsLeakTest {

    static final Set<String> KNOWN_FINDINGS = Set.of();

    static final List<String> PROFILES = Rendered.PROFILES;

    static final Pattern PASSWORD_ENV = Pattern.compile("(?i).*(password|passwd|secret|token|auth).*");

    /** Config directives that carry a password, with the value group; a value is fine only if it is a shell/haproxy variable or printf slot. */
    static final List<Pattern> DIRECTIVES = List.of(
            Pattern.compile("^\\s*(?:requirepass|masterauth|masteruser)\\s+(\\S+)", Pattern.MULTILINE),
            Pattern.compile("^\\s*sentinel\\s+auth-pass\\s+\\S+\\s+(\\S+)", Pattern.MULTILINE),
            Pattern.compile("^\\s*sentinel\\s+sentinel-pass\\s+(\\S+)", Pattern.MULTILINE),
            Pattern.compile("tcp-check\\s+send\\s+\"?AUTH\\\\?[ \\t]+(\\S+)"),
            Pattern.compile("(?:--requirepass|--masterauth|--pass(?:word)?)[= ](\\S+)"),
            Pattern.compile("(?:^|\\s)-a\\s+(\\S+)"),
            Pattern.compile("REDISCLI_AUTH=(\\S+)"),
            Pattern.compile("redis://[^:/@\\s]*:([^@\\s]+)@"));

    @ParameterizedTest
    @FieldSource("PROFILES")
    void noPasswordLiterals(String profile) {
        Findings f = new Findings();
        boolean auth = false;
        for (Rendered.Workload w : Rendered.workloads(profile)) {
            for (Container c : w.allContainers()) {
                String cn = (w.isInit(c) ? "init:" : "") + c.getName();
                for (EnvVar e : nonNull(c.getEnv())) {
                    if (e.getName().endsWith("_PASSWORD") || e.getName().equals("REDISCLI_AUTH")) {
                        auth = true;
                        if (e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null) {
                            f.add(profile, w.id(), cn, "password-env-from-secret", "env " + e.getName() + " does not come from a secretKeyRef");
                        }
                    } else if (PASSWORD_ENV.matcher(e.getName()).matches() && e.getValue() != null && !e.getValue().isEmpty()
                               && !e.getName().endsWith("_FILE") && !e.getValue().startsWith("/")) {
                        f.add(profile, w.id(), cn, "env-literal", "env " + e.getName() + " has a literal value");
                    }
                }
                for (String arg : Stream.concat(nonNull(c.getCommand()).stream(), nonNull(c.getArgs()).stream()).toList()) {
                    scan(profile, w.id(), cn, "args", arg, f);
                }
                // SPEC: the password reaches the exporter too (redis_exporter reads REDIS_PASSWORD or
                // REDIS_PASSWORD_FILE): the Redis password for a Redis exporter, the Sentinel password
                // (when Sentinel has one) for a Sentinel exporter, from the same Secret key.
                if (c.getImage() != null && c.getImage().contains("redis_exporter")) {
                    boolean sentinel = c.getName().contains("sentinel");
                    String wanted = secretKeyOf(w, sentinel ? "SENTINEL_PASSWORD" : "REDIS_PASSWORD", sentinel);
                    String has = nonNull(c.getEnv()).stream().filter(e -> e.getName().equals("REDIS_PASSWORD") && e.getValueFrom() != null
                            && e.getValueFrom().getSecretKeyRef() != null).map(e -> e.getValueFrom().getSecretKeyRef().getName() + "/"
                            + e.getValueFrom().getSecretKeyRef().getKey()).findFirst().orElse(null);
                    if (wanted != null && !wanted.equals(has)) {
                        f.add(profile, w.id(), cn, "exporter-auth", "exporter REDIS_PASSWORD is " + has + ", the server's password is " + wanted);
                    }
                }
            }
        }
        for (ConfigMap cm : Rendered.of(profile, ConfigMap.class)) {
            nonNull(cm.getData()).forEach((key, text) -> scan(profile, Rendered.id(cm), null, "data " + key, text, f));
        }
        assertThat(auth).as(profile + " renders password env vars (every built-in profile uses auth)").isTrue();
        f.assertOnly(KNOWN_FINDINGS, profile);
    }

    /** The Secret name/key that the server containers (redis or sentinel) of the pod read the given password env from. */
    static String secretKeyOf(Rendered.Workload w, String env, boolean sentinel) {
        return w.allContainers().stream()
                .filter(c -> c.getImage() == null || !c.getImage().contains("redis_exporter"))
                .filter(c -> c.getName().contains("sentinel") == sentinel)
                .flatMap(c -> nonNull(c.getEnv()).stream())
                .filter(e -> e.getName().equals(env) && e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey())
                .findFirst().orElse(null);
    }

    static void scan(String profile, String obj, String cn, String where, String text, Findings f) {
        for (Pattern p : DIRECTIVES) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                String v = m.group(1);
                if (!isReference(v)) {
                    f.add(profile, obj, cn, "password-literal", where + ": '" + m.group().strip() + "'");
                }
            }
        }
    }

    /** A shell or haproxy variable, a printf slot, or a quoted one of those. */
    static boolean isReference(String v) {
        String s = v.replaceAll("^[\"']+|[\"';)]+$", "");
        return s.startsWith("$") || s.startsWith("%s") || s.startsWith("\"$") || s.contains("${") || s.startsWith("$(")
               || s.equals("%s\\n") || s.isEmpty();
    }
}
