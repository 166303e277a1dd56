package dev.redisgen.explain;

import java.util.List;

/**
 * What {@code redisgen explain} says about one profile, in the order it is printed. Built by {@link Explainer}
 * from the plan and the rendered objects, printed by {@link TextReport} and {@link JsonReport}: both print
 * this one model, so the text and the JSON cannot say different things.
 *
 * @param source        where the profile came from (the built-in's {@code profiles/<name>.yaml} or the path given)
 * @param description   the profile's description, or null
 * @param clusterDomain the DNS domain the rendered names use
 */
public record Explanation(String profile, String source, String description, String namespace, boolean createsNamespace,
                          String clusterDomain, List<Deployment> deployments, Resources resources, List<Prerequisite> prerequisites) {

    public Explanation {
        deployments = List.copyOf(deployments);
        prerequisites = List.copyOf(prerequisites);
    }

    /**
     * One Redis deployment of the profile.
     *
     * @param summary one line: topology, pod counts, master name, purpose
     * @param facts   the settings a reader needs next to the picture (quorum, timeouts, eviction, persistence)
     * @param routes  who reaches what through which Service, client-facing first
     * @param others  the other objects rendered for this deployment ({@code Kind name: what it does})
     */
    public record Deployment(String name, String topology, String purpose, String summary, List<String> facts,
                             List<Route> routes, List<Workload> workloads, List<String> others, Connection connection) {
        public Deployment {
            facts = List.copyOf(facts);
            routes = List.copyOf(routes);
            workloads = List.copyOf(workloads);
            others = List.copyOf(others);
        }
    }

    /**
     * A rendered Service: who uses it, its ports and what is behind it.
     *
     * @param role     the Service's {@code app.kubernetes.io/component} label (write, read-only, sentinel, client, node, redis, metrics)
     * @param audience who connects to it
     * @param type     the Service type: ClusterIP (headless ones too), or NodePort or LoadBalancer as the profile's
     *                 {@code services.type} asks, reachable from outside the cluster
     * @param reaches  the pods and ports behind it
     */
    public record Route(String role, String audience, String service, String type, String host, List<Port> ports, String reaches) {
        public Route {
            ports = List.copyOf(ports);
        }
    }

    /** A named port: a Service port, or a container port. */
    public record Port(String name, int port) {
    }

    /**
     * A workload and the pods it runs.
     *
     * @param replicas  pods it keeps running (1 for a Job or a CronJob run)
     * @param pods      pod names where they are stable (StatefulSet), else empty
     * @param schedule  the cron schedule and time zone of a CronJob, else null
     */
    public record Workload(String kind, String name, int replicas, List<String> pods, List<Container> initContainers,
                           List<Container> containers, List<Claim> claims, String schedule, String note) {
        public Workload {
            pods = List.copyOf(pods);
            initContainers = List.copyOf(initContainers);
            containers = List.copyOf(containers);
            claims = List.copyOf(claims);
        }
    }

    public record Container(String name, String image, List<Port> ports) {
        public Container {
            ports = List.copyOf(ports);
        }
    }

    /**
     * A PersistentVolumeClaim of a workload (per pod for a StatefulSet template).
     *
     * @param storageClass null: the cluster's default StorageClass
     */
    public record Claim(String name, String size, String storageClass, boolean perPod) {
    }

    /**
     * How applications connect to one deployment.
     *
     * @param endpoints the addresses, each with what it is for
     * @param passwords the environment variables the snippets read, and the Secret keys they come from
     * @param env       the container {@code env:} that sets them from the Secret, or null without AUTH
     * @param notes     what a client must know whatever its library (NetworkPolicy, namespaces)
     * @param clients   one entry per client the profile names (or redis-cli and redis-py when it names none)
     */
    public record Connection(List<Endpoint> endpoints, List<PasswordEnv> passwords, Snippet env, List<String> notes,
                             List<ClientSettings> clients) {
        public Connection {
            endpoints = List.copyOf(endpoints);
            passwords = List.copyOf(passwords);
            notes = List.copyOf(notes);
            clients = List.copyOf(clients);
        }
    }

    /** An address ({@code host:port}) and what it is for. */
    public record Endpoint(String use, String host, int port, String note) {
        public String address() {
            return host + ":" + port;
        }
    }

    /** An environment variable a snippet reads, filled from a Secret key with {@code valueFrom.secretKeyRef}. */
    public record PasswordEnv(String env, String secret, String key, String purpose) {
    }

    /**
     * One client's connection settings.
     *
     * @param client    the profile's spelling ({@code redis-py}, {@code go-redis} ...)
     * @param supported false when the library cannot use this topology; {@code notes} then say why and what to use
     */
    public record ClientSettings(String client, String title, boolean supported, List<Snippet> snippets, List<String> notes) {
        public ClientSettings {
            snippets = List.copyOf(snippets);
            notes = List.copyOf(notes);
        }
    }

    /**
     * One piece of code or configuration.
     *
     * @param language sh, python, go, java or yaml
     */
    public record Snippet(String label, String language, String code) {
    }

    /**
     * Resource totals, computed from the rendered workloads.
     *
     * @param components one row per workload
     * @param steady     every StatefulSet and Deployment at its replica count (what runs day to day)
     * @param peak       plus a rollout's surge pods and every Job and CronJob at once: what the ResourceQuota must admit
     * @param quota      the namespace's ResourceQuota, or null
     */
    public record Resources(List<Row> components, Row steady, Row peak, Quota quota) {
        public Resources {
            components = List.copyOf(components);
        }
    }

    /**
     * Totals of one row; amounts in Kubernetes quantity notation.
     *
     * @param deployment the profile deployment, or null for the totals
     * @param kind       the workload kind (or PersistentVolumeClaim), or null for the totals
     * @param always     false for a Job or CronJob: its pod exists only while it runs, so it counts only at the peak
     * @param perPod     one pod's amounts (the scheduler's view: app containers summed, or the largest init container
     *                   if larger), or null for a total
     * @param storage    PersistentVolumeClaim storage requested (all pods of a StatefulSet)
     */
    public record Row(String deployment, String kind, String name, boolean always, int pods, Amounts total, Amounts perPod,
                      String storage, int claims) {
    }

    public record Amounts(String cpuRequests, String cpuLimits, String memoryRequests, String memoryLimits,
                          String ephemeralRequests, String ephemeralLimits) {
    }

    /** The ResourceQuota's hard limits as the profile states them (null where unlimited). */
    public record Quota(String requestsCpu, String limitsCpu, String requestsMemory, String limitsMemory, String requestsStorage,
                        Integer persistentVolumeClaims, Integer pods, Integer services, boolean rendered) {
    }

    /**
     * Something that must exist before {@code kubectl apply} succeeds or the pods start.
     *
     * @param kind    Namespace, Secret, StorageClass, CustomResourceDefinition, or a short topic (NetworkPolicy, Grafana)
     * @param what    what must exist and who needs it
     * @param check   a command that shows whether it exists, or null
     * @param create  a command that creates it, or null when that is not redisgen's to say
     */
    public record Prerequisite(String kind, String name, String what, String check, String create) {
    }
}
