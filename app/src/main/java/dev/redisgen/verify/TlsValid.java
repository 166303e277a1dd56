package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.validation.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS settings Kubernetes and cert-manager accept: the Secret and issuer are object names (DNS subdomains); the Certificate's
 * {@code duration} and {@code renewBefore} are Go durations that cert-manager takes (duration at least 1h, renewBefore at
 * least 5m and shorter than duration); and a rendered Certificate does not write into the password Secret (cert-manager
 * would make it a {@code kubernetes.io/tls} Secret of its own).
 */
final class TlsValid implements Rule {
    private static final Pattern GO_DURATION = Pattern.compile("(?:([0-9]+)(h|m|s))+");
    private static final Pattern PART = Pattern.compile("([0-9]+)(h|m|s)");

    @Override
    public String id() {
        return "tls";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            var t = d.tls();
            if (t == null) {
                continue;
            }
            String p = d.pointer() + "/tls";
            if (!Validation.isDNS1123Subdomain(t.secretName()).isEmpty()) {
                out.add(err(ctx, p + "/secretName", "'" + t.secretName() + "' is not a Secret name (a DNS subdomain: lower-case letters, digits,"
                        + " '-' and '.', at most 253 characters)", "write the name of the TLS Secret, e.g. `" + d.name() + "-tls`"));
            }
            if (t.keepsPlainText()) {
                out.add(Diagnostic.warning(id(), "plain text stays open on port " + t.plainPort() + " beside TLS on " + dev.redisgen.plan.Planner.REDIS_PORT
                        + ": passwords and data on it cross the network unencrypted, and a client that stays on it is not told",
                        "move the clients to TLS on " + dev.redisgen.plan.Planner.REDIS_PORT + ", then remove `plainPort`", ctx.at(p + "/plainPort")));
            }
            var cm = t.certManager();
            if (cm == null) {
                continue;
            }
            if (!Validation.isDNS1123Subdomain(cm.issuer()).isEmpty()) {
                out.add(err(ctx, p + "/certManager/issuer", "'" + cm.issuer() + "' is not an issuer name (a DNS subdomain)",
                        "write the name of the cert-manager Issuer or ClusterIssuer, e.g. `ca-issuer`"));
            }
            if (d.auth() != null && d.auth().secretName().equals(t.secretName())) {
                out.add(err(ctx, p + "/secretName", "the Certificate would write into Secret '" + t.secretName() + "', which holds the passwords"
                        + " (`auth.secretName`): cert-manager makes it a kubernetes.io/tls Secret of its own", "give the TLS Secret its own name, e.g. `"
                        + d.name() + "-tls`"));
            }
            Long duration = seconds(cm.duration());
            Long renew = seconds(cm.renewBefore());
            if (duration == null) {
                out.add(err(ctx, p + "/certManager/duration", "duration '" + cm.duration() + "' is not a duration cert-manager reads",
                        "write hours, minutes or seconds, e.g. `2160h` (90 days)"));
            } else if (duration < 3600) {
                out.add(err(ctx, p + "/certManager/duration", "duration '" + cm.duration() + "' is below cert-manager's minimum of 1h",
                        "write at least `1h`; `2160h` (90 days) is cert-manager's default"));
            }
            if (renew == null) {
                out.add(err(ctx, p + "/certManager/renewBefore", "renewBefore '" + cm.renewBefore() + "' is not a duration cert-manager reads",
                        "write hours, minutes or seconds, e.g. `720h` (30 days)"));
            } else if (renew < 300) {
                out.add(err(ctx, p + "/certManager/renewBefore", "renewBefore '" + cm.renewBefore() + "' is below cert-manager's minimum of 5m",
                        "write at least `5m`, and a margin to roll the Sentinels and the proxy, e.g. `720h`"));
            } else if (duration != null && renew >= duration) {
                out.add(err(ctx, p + "/certManager/renewBefore", "renewBefore '" + cm.renewBefore() + "' is not shorter than duration '"
                        + cm.duration() + "': cert-manager would renew at once, forever", "write a renewBefore of about a third of the duration"));
            }
        }
        return out;
    }

    /** A Go duration of hours, minutes and seconds in seconds, or null when it is not one. */
    static Long seconds(String s) {
        if (s == null || !GO_DURATION.matcher(s).matches()) {
            return null;
        }
        long total = 0;
        Matcher m = PART.matcher(s);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                default -> n;
            };
        }
        return total;
    }

    private Diagnostic err(Context ctx, String pointer, String message, String fix) {
        return Diagnostic.error(id(), message, fix, ctx.at(pointer));
    }
}
