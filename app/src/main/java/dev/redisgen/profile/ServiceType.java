package dev.redisgen.profile;

@Doc("Kubernetes Service type of the client Services.")
public enum ServiceType {
    /** Reachable inside the cluster only. */
    @Spelled("ClusterIP") CLUSTER_IP,
    /** Also on a port of every node. */
    @Spelled("NodePort") NODE_PORT,
    /** Also through the cloud's load balancer. */
    @Spelled("LoadBalancer") LOAD_BALANCER;

    /** The value of a Service's {@code spec.type}. */
    public String kubernetesName() {
        return SchemaTypes.yamlName(this);
    }

    /** Reachable from outside the cluster. */
    public boolean exposed() {
        return this != CLUSTER_IP;
    }
}
