package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.ContainerPlan;
import dev.redisgen.plan.PodPlan;
import dev.redisgen.profile.Cpu;
import dev.redisgen.profile.LimitRangeSpec;
import dev.redisgen.profile.Memory;
import dev.redisgen.profile.Resources;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Every container, init containers and sidecars included, against the namespace's LimitRange, as the
 * LimitRanger admission plugin judges it: request ≥ min, limit ≤ max, limit/request ≤ maxLimitRequestRatio.
 * Seed 001's first deploy was rejected for exporter sidecars at 50m/64Mi under a 100m/128Mi minimum.
 */
final class LimitRangeFit implements Rule {
    @Override
    public String id() {
        return "limit-range";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        LimitRangeSpec lr = ctx.plan().namespace().limitRange();
        List<Diagnostic> out = new ArrayList<>();
        if (lr == null) {
            return out;
        }
        String ns = ctx.plan().namespace().name();
        for (PodPlan pod : ctx.plan().pods()) {
            for (ContainerPlan c : pod.allContainers()) {
                Resources r = c.resources();
                String what = "container '" + c.name() + "' of " + pod.kind() + " " + pod.name();
                if (lr.min() != null) {
                    for (String side : List.of("requests", "limits")) {
                        Resources.Amounts a = side.equals("requests") ? r.requests() : r.limits();
                        if (a == null) continue;
                        if (lr.min().cpu() != null && a.cpu() != null && a.cpu().compareTo(lr.min().cpu()) < 0) {
                            out.add(below(ctx, c, what, side, "cpu", a.cpu().toString(), lr.min().cpu().toString(), ns));
                        }
                        if (lr.min().memory() != null && a.memory() != null && a.memory().compareTo(lr.min().memory()) < 0) {
                            out.add(below(ctx, c, what, side, "memory", a.memory().toString(), lr.min().memory().toString(), ns));
                        }
                    }
                }
                if (lr.max() != null) {
                    for (String side : List.of("requests", "limits")) {
                        Resources.Amounts a = side.equals("requests") ? r.requests() : r.limits();
                        if (a == null) continue;
                        if (lr.max().cpu() != null && a.cpu() != null && a.cpu().compareTo(lr.max().cpu()) > 0) {
                            out.add(above(ctx, c, what, side, "cpu", a.cpu().toString(), lr.max().cpu().toString(), ns));
                        }
                        if (lr.max().memory() != null && a.memory() != null && a.memory().compareTo(lr.max().memory()) > 0) {
                            out.add(above(ctx, c, what, side, "memory", a.memory().toString(), lr.max().memory().toString(), ns));
                        }
                    }
                }
                var ratio = lr.maxLimitRequestRatio();
                if (ratio != null && r.requests() != null && r.limits() != null) {
                    Cpu rc = r.requests().cpu(), lc = r.limits().cpu();
                    if (ratio.cpu() != null && rc != null && lc != null && rc.millis() > 0) {
                        ratioCheck(ctx, out, c, what, "cpu", BigDecimal.valueOf(lc.millis()), BigDecimal.valueOf(rc.millis()), ratio.cpu(),
                                lc.toString(), rc.toString(), ns);
                    }
                    Memory rm = r.requests().memory(), lm = r.limits().memory();
                    if (ratio.memory() != null && rm != null && lm != null && rm.bytes() > 0) {
                        ratioCheck(ctx, out, c, what, "memory", BigDecimal.valueOf(lm.bytes()), BigDecimal.valueOf(rm.bytes()), ratio.memory(),
                                lm.toString(), rm.toString(), ns);
                    }
                }
            }
        }
        return out;
    }

    private Diagnostic below(Context ctx, ContainerPlan c, String what, String side, String resource, String value, String bound, String ns) {
        return Diagnostic.error(id(), what + ": " + resource + " " + singular(side) + " " + value + " is below the LimitRange minimum " + bound
                        + " of namespace " + ns + "; the API server rejects the pod",
                "raise `" + c.role().resourcesKey() + "." + side + "." + resource + "` to at least " + bound,
                ctx.at(c.resourcesPointer() + "/" + side + "/" + resource));
    }

    private Diagnostic above(Context ctx, ContainerPlan c, String what, String side, String resource, String value, String bound, String ns) {
        return Diagnostic.error(id(), what + ": " + resource + " " + singular(side) + " " + value + " is above the LimitRange maximum " + bound
                        + " of namespace " + ns + "; the API server rejects the pod",
                "lower `" + c.role().resourcesKey() + "." + side + "." + resource + "` to at most " + bound,
                ctx.at(c.resourcesPointer() + "/" + side + "/" + resource));
    }

    private static String singular(String side) {
        return side.equals("requests") ? "request" : "limit";
    }

    private void ratioCheck(Context ctx, List<Diagnostic> out, ContainerPlan c, String what, String resource, BigDecimal limit,
                            BigDecimal request, BigDecimal max, String limitText, String requestText, String ns) {
        BigDecimal actual = limit.divide(request, MathContext.DECIMAL64);
        if (actual.compareTo(max) > 0) {
            out.add(Diagnostic.error(id(), what + ": " + resource + " limit/request ratio " + limitText + "/" + requestText + " = "
                            + actual.stripTrailingZeros().toPlainString() + " is above the LimitRange maxLimitRequestRatio "
                            + max.stripTrailingZeros().toPlainString() + " of namespace " + ns + "; the API server rejects the pod",
                    "raise the request or lower the limit so that limit ≤ " + max.stripTrailingZeros().toPlainString() + " × request",
                    ctx.at(c.resourcesPointer() + "/limits/" + resource)));
        }
    }
}
