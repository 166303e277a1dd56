package dev.redisgen.profile;

import java.util.List;

@Doc("A redisgen profile: one namespace and the Redis deployments in it.")
public record Profile(
        @Required @Doc("Profile name, lower-case DNS label; used in labels and file names.") String name,
        @Doc("One line saying what the profile is for; shown by `redisgen profiles`.") String description,
        @Required @Doc("The namespace the objects live in, and what it enforces.") NamespaceSpec namespace,
        @Required @Doc("One or more Redis deployments rendered into the namespace.") List<DeploymentSpec> deployments,
        @Default("cluster.local") @Doc("The cluster's DNS domain (the kubelet's `--cluster-domain`): pods and Services are named "
                + "`<name>.<namespace>.svc.<clusterDomain>` in every config and script redisgen renders.") String clusterDomain,
        @Doc("StorageClass of every PersistentVolumeClaim that names none itself (`persistence`, `sentinel.storage`, `backup.storage`). "
                + "Absent: the cluster's default StorageClass; `\"\"`: no class (only pre-provisioned volumes bind).") String storageClass,
        @Doc("Warnings accepted on purpose anywhere in the profile; a deployment has its own `acknowledge` for its warnings.")
        List<Acknowledgement> acknowledge) {
}
