package dev.redisgen.profile;

import java.util.Map;

@Doc("The namespace and its admission limits.")
public record NamespaceSpec(
        @Required @Doc("Namespace name.") String name,
        @Default("true") @Doc("Render the Namespace object itself (false when another team owns it).") boolean create,
        @Default("restricted") @Doc("Pod Security Standard enforced through the Namespace's `pod-security.kubernetes.io/enforce` label (only when `create`).") PodSecurityLevel podSecurity,
        @Doc("Extra labels on the Namespace (only when `create`).") Map<String, String> labels,
        @Doc("The namespace's LimitRange for containers. Every rendered container is checked against it; absent means none is known.") LimitRangeSpec limitRange,
        @Doc("The namespace's ResourceQuota. The rendered totals are checked against it; absent means none is known.") ResourceQuotaSpec resourceQuota) {
}
