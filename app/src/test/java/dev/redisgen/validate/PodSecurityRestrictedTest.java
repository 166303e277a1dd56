package dev.redisgen.validate;

import static dev.redisgen.validate.Rendered.nonNull;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The restricted Pod Security Standard (Kubernetes v1.30+, "Pod Security Standards" page; the
 * restricted level includes every baseline control), checked field by field on every pod template
 * (StatefulSet, Deployment, Job, CronJob) of every built-in profile, init containers included.
 * The rendered namespaces carry pod-security.kubernetes.io/enforce: restricted, so a violation
 * here is a pod the API server refuses.
 */
class PodSecurityRestrictedTest {

    /** Violations known and reported, waiting for a renderer fix; the test subtracts them. */
    static final Set<String> KNOWN_FINDINGS = Set.of();

    static final List<String> PROFILES = Rendered.PROFILES;

    /** Baseline "Capabilities": the only capabilities a container may add (restricted: only NET_BIND_SERVICE). */
    static final Set<String> RESTRICTED_ADD = Set.of("NET_BIND_SERVICE");

    /** Restricted "Volume Types". */
    static final Set<String> ALLOWED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");

    /** Baseline "Sysctls": the safe set (v1.29+ list). */
    static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

    /** Baseline "SELinux": allowed seLinuxOptions.type values (container_engine_t since v1.31). */
    static final Set<String> SELINUX_TYPES = Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t");

    @ParameterizedTest
    @FieldSource("PROFILES")
    void everyPodTemplateMeetsRestricted(String profile) {
        Findings f = new Findings();
        List<Rendered.Workload> workloads = Rendered.workloads(profile);
        org.assertj.core.api.Assertions.assertThat(workloads).as("pod templates of " + profile).isNotEmpty();
        for (Rendered.Workload w : workloads) {
            check(profile, w, f);
        }
        f.assertOnly(KNOWN_FINDINGS, profile);
    }

    static void check(String profile, Rendered.Workload w, Findings f) {
        String obj = w.id();
        PodSpec spec = w.spec();
        PodSecurityContext psc = spec.getSecurityContext();

        // Baseline: Host Namespaces.
        if (Boolean.TRUE.equals(spec.getHostNetwork())) f.add(profile, obj, "host-namespaces", "spec.hostNetwork is true");
        if (Boolean.TRUE.equals(spec.getHostPID())) f.add(profile, obj, "host-namespaces", "spec.hostPID is true");
        if (Boolean.TRUE.equals(spec.getHostIPC())) f.add(profile, obj, "host-namespaces", "spec.hostIPC is true");

        // Baseline: HostPath Volumes; Restricted: Volume Types.
        for (Volume v : nonNull(spec.getVolumes())) {
            String type = volumeType(v);
            if (!ALLOWED_VOLUMES.contains(type)) {
                f.add(profile, obj, "volume-types", "volume " + v.getName() + " is " + type);
            }
        }

        // Baseline: HostProcess, AppArmor, SELinux, Seccomp, Sysctls at pod level.
        if (psc != null) {
            if (psc.getWindowsOptions() != null && Boolean.TRUE.equals(psc.getWindowsOptions().getHostProcess())) {
                f.add(profile, obj, "host-process", "spec.securityContext.windowsOptions.hostProcess is true");
            }
            appArmor(profile, obj, null, psc.getAppArmorProfile(), f);
            seLinux(profile, obj, null, psc.getSeLinuxOptions(), f);
            for (Sysctl s : nonNull(psc.getSysctls())) {
                if (!SAFE_SYSCTLS.contains(s.getName())) f.add(profile, obj, "sysctls", "unsafe sysctl " + s.getName());
            }
            if (psc.getRunAsUser() != null && psc.getRunAsUser() == 0) {
                f.add(profile, obj, "run-as-user", "spec.securityContext.runAsUser is 0");
            }
        }
        // AppArmor through the annotations (pre-1.30 form, still checked by the admission plugin).
        Map<String, String> annotations = w.template().getMetadata() == null ? Map.of() : nonNull(w.template().getMetadata().getAnnotations());
        annotations.forEach((k, v) -> {
            if (k.startsWith("container.apparmor.security.beta.kubernetes.io/") && !v.equals("runtime/default") && !v.startsWith("localhost/")) {
                f.add(profile, obj, "apparmor", k + "=" + v);
            }
        });

        String podSeccomp = seccompType(psc == null ? null : psc.getSeccompProfile());
        if (podSeccomp != null && !podSeccomp.equals("RuntimeDefault") && !podSeccomp.equals("Localhost")) {
            f.add(profile, obj, "seccomp", "spec.securityContext.seccompProfile.type is " + podSeccomp);
        }
        boolean podNonRoot = psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot());

        for (Container c : w.allContainers()) {
            String cn = (w.isInit(c) ? "init:" : "") + c.getName();
            SecurityContext sc = c.getSecurityContext();

            // Baseline: Host Ports.
            for (ContainerPort p : nonNull(c.getPorts())) {
                if (p.getHostPort() != null && p.getHostPort() != 0) {
                    f.add(profile, obj, cn, "host-ports", "hostPort " + p.getHostPort());
                }
            }
            if (sc == null) {
                // Restricted needs allowPrivilegeEscalation: false and drop ALL on every container.
                f.add(profile, obj, cn, "security-context", "container has no securityContext");
                if (!podNonRoot) f.add(profile, obj, cn, "run-as-non-root", "runAsNonRoot not true at pod or container level");
                if (podSeccomp == null) f.add(profile, obj, cn, "seccomp", "no seccompProfile at pod or container level");
                continue;
            }
            // Baseline: Privileged Containers.
            if (Boolean.TRUE.equals(sc.getPrivileged())) f.add(profile, obj, cn, "privileged", "privileged is true");
            if (sc.getWindowsOptions() != null && Boolean.TRUE.equals(sc.getWindowsOptions().getHostProcess())) {
                f.add(profile, obj, cn, "host-process", "windowsOptions.hostProcess is true");
            }
            // Baseline + Restricted: Capabilities.
            Capabilities caps = sc.getCapabilities();
            List<String> drop = caps == null ? List.of() : nonNull(caps.getDrop());
            List<String> add = caps == null ? List.of() : nonNull(caps.getAdd());
            if (!drop.contains("ALL")) f.add(profile, obj, cn, "capabilities", "capabilities.drop does not contain ALL: " + drop);
            for (String a : add) {
                if (!RESTRICTED_ADD.contains(a)) f.add(profile, obj, cn, "capabilities", "adds " + a);
            }
            // Baseline: AppArmor, SELinux, /proc Mount Type.
            appArmor(profile, obj, cn, sc.getAppArmorProfile(), f);
            seLinux(profile, obj, cn, sc.getSeLinuxOptions(), f);
            if (sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
                f.add(profile, obj, cn, "proc-mount", "procMount is " + sc.getProcMount());
            }
            // Restricted: Privilege Escalation (must be explicitly false).
            if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                f.add(profile, obj, cn, "allow-privilege-escalation", "allowPrivilegeEscalation is " + sc.getAllowPrivilegeEscalation() + ", must be false");
            }
            // Restricted: Running as Non-root (container true, or unset with pod true; false is never allowed).
            Boolean nonRoot = sc.getRunAsNonRoot();
            if (Boolean.FALSE.equals(nonRoot) || (nonRoot == null && !podNonRoot)) {
                f.add(profile, obj, cn, "run-as-non-root", "runAsNonRoot is " + nonRoot + " (pod: " + podNonRoot + ")");
            }
            // Restricted: Running as Non-root user (runAsUser != 0).
            if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) f.add(profile, obj, cn, "run-as-user", "runAsUser is 0");
            // Restricted: Seccomp (RuntimeDefault or Localhost, at pod level or on every container; never Unconfined).
            String cs = seccompType(sc.getSeccompProfile());
            if (cs == null && podSeccomp == null) {
                f.add(profile, obj, cn, "seccomp", "no seccompProfile at pod or container level");
            } else if (cs != null && !cs.equals("RuntimeDefault") && !cs.equals("Localhost")) {
                f.add(profile, obj, cn, "seccomp", "seccompProfile.type is " + cs);
            }
        }
    }

    static void appArmor(String profile, String obj, String cn, io.fabric8.kubernetes.api.model.AppArmorProfile p, Findings f) {
        if (p != null && p.getType() != null && !p.getType().equals("RuntimeDefault") && !p.getType().equals("Localhost")) {
            f.add(profile, obj, cn, "apparmor", "appArmorProfile.type is " + p.getType());
        }
    }

    static void seLinux(String profile, String obj, String cn, SELinuxOptions o, Findings f) {
        if (o == null) return;
        if (o.getType() != null && !o.getType().isEmpty() && !SELINUX_TYPES.contains(o.getType())) {
            f.add(profile, obj, cn, "selinux", "seLinuxOptions.type is " + o.getType());
        }
        if (o.getUser() != null && !o.getUser().isEmpty()) f.add(profile, obj, cn, "selinux", "seLinuxOptions.user is set");
        if (o.getRole() != null && !o.getRole().isEmpty()) f.add(profile, obj, cn, "selinux", "seLinuxOptions.role is set");
    }

    static String seccompType(SeccompProfile p) {
        return p == null ? null : p.getType();
    }

    /** The volume source field that is set (the YAML key). */
    static String volumeType(Volume v) {
        if (v.getConfigMap() != null) return "configMap";
        if (v.getCsi() != null) return "csi";
        if (v.getDownwardAPI() != null) return "downwardAPI";
        if (v.getEmptyDir() != null) return "emptyDir";
        if (v.getEphemeral() != null) return "ephemeral";
        if (v.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
        if (v.getProjected() != null) return "projected";
        if (v.getSecret() != null) return "secret";
        if (v.getHostPath() != null) return "hostPath";
        if (v.getImage() != null) return "image";
        return "other:" + v;
    }
}
