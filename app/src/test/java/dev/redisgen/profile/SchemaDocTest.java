package dev.redisgen.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaDocTest {
    private final String doc = SchemaDoc.markdown();

    @Test
    void hasARowPerFieldWithTypeDefaultAndMeaning() {
        assertThat(doc).contains("| `quorum` | integer | — | Sentinels that must agree the master is down; "
                + "must be > sentinels/2 and ≤ sentinels. Default: majority. |");
        assertThat(doc).contains("| `redis` | [Resources](#resources) | `{requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 512Mi}}` | The redis container. |");
        assertThat(doc).contains("| `name` | string | required | Profile name, lower-case DNS label; used in labels and file names. |");
        assertThat(doc).contains("| `deployments` | list of [DeploymentSpec](#deploymentspec) | required |");
        assertThat(doc).contains("| `topology` | one of: sentinel, cluster, standalone | required |");
        assertThat(doc).contains("| `labels` | map of string to string | — |");
        assertThat(doc).contains("| `size` | [memory quantity](#memory) | required | PVC size per Redis pod. |");
        assertThat(doc).contains("| `cpu` | number | — | Largest CPU limit divided by CPU request. |");
        assertThat(doc).contains("| `placement` | one of: co-located, separate | `co-located` |");
    }

    @Test
    void sectionsAreBreadthFirstFromProfileWithStableAnchors() {
        assertThat(doc).startsWith("<a id=\"profile\"></a>\n### Profile\n\nA redisgen profile: one namespace and the Redis deployments in it.\n\n");
        assertThat(doc.indexOf("### NamespaceSpec")).isLessThan(doc.indexOf("### DeploymentSpec"));
        assertThat(doc.indexOf("### DeploymentSpec")).isLessThan(doc.indexOf("### LimitRangeSpec"));
        assertThat(doc).contains("<a id=\"backupspec-schedule\"></a>\n### BackupSpec.Schedule\n");
        assertThat(doc).contains("### Topology\n\nHow the Redis pods fail over.\n\nValues: `sentinel`, `cluster`, `standalone`.\n");
        assertThat(doc).contains("<a id=\"cpu\"></a>\n### Cpu\n\nCPU quantity as Kubernetes writes it: `250m`, `2`, `0.5`.\n");
    }

    @Test
    void everyLinkHasItsAnchor() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\]\\(#([a-z-]+)\\)").matcher(doc);
        int links = 0;
        while (m.find()) {
            links++;
            assertThat(doc).contains("<a id=\"" + m.group(1) + "\"></a>");
        }
        assertThat(links).isGreaterThan(20);
    }

    @Test
    void outputIsDeterministic() {
        assertThat(SchemaDoc.markdown()).isEqualTo(doc);
    }
}
