package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every CLUSTER and CLIENT subcommand the Redis Cluster scripts send is one the admin user (the user the scripts and Jobs log in as
 * under {@code auth.users}) may run. A missing one fails only on the path that sends it, with NOPERM: CLUSTER RESET,
 * sent only when a scale out finds a pod back from a scale in with its old volume, was found that way by the drill.
 */
class AclCoversScriptsTest {
    static final Pattern CLUSTER_SUBCOMMAND = Pattern.compile("\\b(CLUSTER|CLIENT) ([A-Z][A-Z-]*[A-Z])\\b");

    @Test
    void everyClusterAndClientSubcommandTheScriptsSendIsGrantedToTheAdminUser() {
        Set<String> sent = new TreeSet<>();
        for (String name : Scripts.names()) {
            if (!name.startsWith("cluster-") && !name.equals("common.sh") && !name.equals("backup.sh")) {
                continue;
            }
            for (String line : Scripts.load(name).split("\n")) {
                if (line.strip().startsWith("#")) {
                    continue;
                }
                Matcher m = CLUSTER_SUBCOMMAND.matcher(line);
                while (m.find()) {
                    sent.add((m.group(1) + "|" + m.group(2)).toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        // The scripts send these; a pattern that matched nothing would prove nothing.
        assertThat(sent).contains("cluster|nodes", "cluster|meet", "cluster|replicate", "cluster|failover", "cluster|reset", "client|pause",
                "client|unpause");
        assertThat(AclUsers.ADMIN_CLUSTER).as("ACL rules of the admin user in a Redis Cluster").containsAll(sent);
    }

    @Test
    void theListsHoldNoDuplicate() {
        for (List<String> l : List.of(AclUsers.ADMIN_COMMON, AclUsers.ADMIN_CLUSTER, AclUsers.ADMIN_SENTINEL, AclUsers.ADMIN_BACKUP)) {
            assertThat(l).doesNotHaveDuplicates();
        }
    }
}
