package dev.redisgen.explain;

import dev.redisgen.explain.Explanation.Amounts;
import dev.redisgen.explain.Explanation.ClientSettings;
import dev.redisgen.explain.Explanation.Connection;
import dev.redisgen.explain.Explanation.Container;
import dev.redisgen.explain.Explanation.Deployment;
import dev.redisgen.explain.Explanation.Endpoint;
import dev.redisgen.explain.Explanation.PasswordEnv;
import dev.redisgen.explain.Explanation.Prerequisite;
import dev.redisgen.explain.Explanation.Quota;
import dev.redisgen.explain.Explanation.Resources;
import dev.redisgen.explain.Explanation.Route;
import dev.redisgen.explain.Explanation.Row;
import dev.redisgen.explain.Explanation.Snippet;
import dev.redisgen.explain.Explanation.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The explanation for people: the topology as a picture, the resource table, what to create first, and the
 * connection snippets in fenced blocks (unindented, so that they paste as they are).
 */
public final class TextReport {
    private TextReport() {
    }

    public static String text(Explanation e) {
        StringBuilder out = new StringBuilder();
        out.append("profile ").append(e.profile()).append(" (").append(e.source()).append(")\n");
        if (e.description() != null) {
            out.append(e.description()).append('\n');
        }
        out.append("namespace ").append(e.namespace()).append(e.createsNamespace() ? " (rendered by this profile)" : " (must exist)")
           .append(", DNS domain ").append(e.clusterDomain()).append('\n');

        out.append("\n== TOPOLOGY ==\n");
        for (Deployment d : e.deployments()) {
            topology(out, d);
        }
        out.append("\n== RESOURCES (summed from the rendered pod specs) ==\n\n");
        resources(out, e.resources());
        out.append("\n== BEFORE YOU APPLY ==\n\n");
        for (Prerequisite p : e.prerequisites()) {
            out.append(p.kind()).append(' ').append(p.name()).append(": ").append(p.what()).append('\n');
            if (p.create() != null) {
                out.append("    ").append(p.create()).append('\n');
            }
            if (p.check() != null) {
                out.append("    ").append(p.check()).append("  # check\n");
            }
        }
        out.append("\n== CONNECT ==\n");
        for (Deployment d : e.deployments()) {
            connect(out, d);
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ topology

    private static void topology(StringBuilder out, Deployment d) {
        out.append('\n').append(d.name()).append(": ").append(d.summary()).append('\n');
        for (String fact : d.facts()) {
            out.append("  ").append(fact).append('\n');
        }
        out.append("\n  Services (who connects -> what is behind)\n");
        List<String[]> lines = new ArrayList<>();
        List<Route> nodes = d.routes().stream().filter(r -> r.role().equals("node")).toList();
        for (Route r : d.routes()) {
            if (!r.role().equals("node")) {
                lines.add(new String[] {service(r), r.audience(), r.reaches()});
            } else if (r == nodes.get(0)) {
                // One Service per cluster node: one line for all of them.
                Route last = nodes.get(nodes.size() - 1);
                lines.add(new String[] {r.service() + " … " + last.service() + service(r).substring(r.service().length()),
                    "one cluster node each (" + nodes.size() + " Services)", "its own pod: " + r.reaches().replace("pod " + r.service(),
                    "pod " + r.service() + " … " + last.service())});
            }
        }
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        for (String[] l : lines) {
            out.append("    ").append(l[0]).append(" ".repeat(width - l[0].length())).append("  <- ").append(l[1]).append('\n');
            out.append("        └─▶ ").append(l[2]).append('\n');
        }
        out.append("\n  Pods\n");
        for (Workload w : d.workloads()) {
            workload(out, w);
        }
        if (!d.others().isEmpty()) {
            out.append("\n  Also rendered\n");
            for (String o : d.others()) {
                out.append("    ").append(o).append('\n');
            }
        }
    }

    private static String service(Route r) {
        return r.service() + " " + r.ports().stream().map(p -> ":" + p.port()).collect(Collectors.joining(" "))
                + (r.type().equals("ClusterIP") ? "" : " (" + r.type() + ")");
    }

    private static void workload(StringBuilder out, Workload w) {
        out.append("    ").append(w.kind()).append(' ').append(w.name()).append(" x").append(w.replicas());
        if (w.schedule() != null) {
            out.append(", schedule ").append(w.schedule());
        }
        if (!w.initContainers().isEmpty()) {
            out.append(", init container").append(w.initContainers().size() == 1 ? " " : "s ")
               .append(w.initContainers().stream().map(Container::name).collect(Collectors.joining(", ")));
        }
        out.append('\n');
        String containers = w.containers().stream().map(TextReport::container).collect(Collectors.joining(" · "));
        List<String> lines = new ArrayList<>();
        if (w.pods().isEmpty()) {
            lines.add(containers + claims(w, null));
        } else {
            for (String pod : w.pods()) {
                lines.add(pod + "  " + containers + claims(w, pod));
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            out.append("      ").append(i == lines.size() - 1 ? "└─ " : "├─ ").append(lines.get(i)).append('\n');
        }
        if (w.note() != null) {
            out.append("      ").append(w.note()).append('\n');
        }
    }

    private static String container(Container c) {
        if (c.ports().isEmpty()) {
            return c.name();
        }
        if (c.ports().size() == 1 && c.ports().get(0).name().equals(c.name())) {
            return c.name() + " :" + c.ports().get(0).port();
        }
        return c.name() + " (" + c.ports().stream().map(p -> p.name() + " :" + p.port()).collect(Collectors.joining(", ")) + ")";
    }

    private static String claims(Workload w, String pod) {
        StringBuilder s = new StringBuilder();
        for (var c : w.claims()) {
            s.append(" · PVC ").append(c.perPod() && pod != null ? c.name() + "-" + pod : c.name());
            if (c.size() != null) {
                s.append(' ').append(c.size()).append(" (").append(c.storageClass() == null ? "default StorageClass" : c.storageClass()).append(')');
            }
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ resources

    private static final String[] HEADER = {"deployment", "workload", "pods", "cpu req", "cpu lim", "memory req", "memory lim",
        "ephemeral req", "ephemeral lim", "PVC storage"};

    private static void resources(StringBuilder out, Resources r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Row row : r.components()) {
            String workload = row.kind() + " " + row.name() + (row.always() ? "" : " (while it runs)");
            rows.add(cells(row.deployment(), workload, Integer.toString(row.pods()), row.kind().equals("PersistentVolumeClaim") ? null : row.total(),
                    row.storage()));
            if (row.perPod() != null && row.pods() > 1) {
                rows.add(cells("", "  each pod", "", row.perPod(), ""));
            }
        }
        rows.add(cells("all", "steady (StatefulSets and Deployments)", Integer.toString(r.steady().pods()), r.steady().total(), r.steady().storage()));
        rows.add(cells("all", "peak (+ rollout surge, Jobs, CronJobs)", Integer.toString(r.peak().pods()), r.peak().total(), r.peak().storage()));
        Quota q = r.quota();
        if (q != null) {
            rows.add(new String[] {"quota", "ResourceQuota" + (q.rendered() ? "" : " (existing)"), str(q.pods()), str(q.requestsCpu()),
                str(q.limitsCpu()), str(q.requestsMemory()), str(q.limitsMemory()), "", "", str(q.requestsStorage())});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // text columns left-aligned, amounts right-aligned
                String pad = " ".repeat(width[i] - row[i].length());
                line.append(i < 2 ? row[i] + pad : pad + row[i]).append(i == row.length - 1 ? "" : "  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append("\nThe peak is what the ResourceQuota must admit: every replica, one surge pod per rolling Deployment, and every"
                + " Job and CronJob pod at once. A pod counts its app containers summed, or its largest init container if larger.\n");
    }

    private static String[] cells(String deployment, String workload, String pods, Amounts a, String storage) {
        if (a == null) {
            return new String[] {nz(deployment), workload, pods, "", "", "", "", "", "", storage};
        }
        return new String[] {nz(deployment), workload, pods, a.cpuRequests(), a.cpuLimits(), a.memoryRequests(), a.memoryLimits(),
            a.ephemeralRequests(), a.ephemeralLimits(), storage.equals("0") ? "" : storage};
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    // ------------------------------------------------------------------ connect

    private static void connect(StringBuilder out, Deployment d) {
        Connection c = d.connection();
        out.append('\n').append(d.name()).append('\n');
        int width = c.endpoints().stream().mapToInt(ep -> ep.use().length()).max().orElse(0);
        int addr = c.endpoints().stream().mapToInt(ep -> ep.address().length()).max().orElse(0);
        for (Endpoint ep : c.endpoints()) {
            out.append("  ").append(ep.use()).append(" ".repeat(width - ep.use().length())).append("  ")
               .append(ep.address()).append(" ".repeat(addr - ep.address().length())).append("  ").append(ep.note()).append('\n');
        }
        for (PasswordEnv p : c.passwords()) {
            out.append("  $").append(p.env()).append(" <- Secret ").append(p.secret()).append(" key ").append(p.key())
               .append(" (").append(p.purpose()).append(")\n");
        }
        for (String note : c.notes()) {
            out.append("  note: ").append(note).append('\n');
        }
        if (c.env() != null) {
            fenced(out, "passwords", c.env());
        }
        for (ClientSettings s : c.clients()) {
            if (!s.supported()) {
                out.append("\n### ").append(s.title()).append(": not available\n");
            }
            for (Snippet snippet : s.snippets()) {
                fenced(out, s.title(), snippet);
            }
            for (String note : s.notes()) {
                out.append("note: ").append(note).append('\n');
            }
        }
    }

    private static void fenced(StringBuilder out, String title, Snippet s) {
        out.append("\n### ").append(title).append(": ").append(s.label()).append('\n')
           .append("```").append(s.language()).append('\n').append(s.code()).append("```\n");
    }
}
