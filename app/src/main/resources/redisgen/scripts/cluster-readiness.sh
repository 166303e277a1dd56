# shellcheck shell=sh
# cluster-readiness.sh: readiness probe of a Redis Cluster node. Ready when
# this node's slots are served: PING answers PONG, CLUSTER INFO says
# cluster_state:ok (a node alone after losing its volume, or cut off from the
# majority, says fail and would answer CLUSTERDOWN), another node lists this
# one as a connected member (not failing, not a stranger it never met or
# forgot), and a replica is linked to its master and not in a full sync (a
# rolling update must not stop the master before its replica can take over).
# Exit 0 ready, 1 not ready (reason on stdout).
set -u
LOG_TAG=readiness
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

out=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" PING 2>&1 | tr -d '\r')
if [ "$out" != PONG ]; then
  printf 'not ready: %s\n' "${out:-no answer}"
  exit 1
fi
state=$(cluster_info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" cluster_state)
if [ "$state" != ok ]; then
  printf 'not ready: cluster_state:%s (known nodes: %s)\n' "${state:-unknown}" \
    "$(cluster_info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" cluster_known_nodes)"
  exit 1
fi
view=$(cluster_view "$LOCAL_REDIS_HOST" "$REDIS_PORT") || {
  printf 'not ready: CLUSTER NODES did not answer\n'
  exit 1
}
myid=$(printf '%s\n' "$view" | awk '$6 ~ /myself/ { print $1 }')
master=$(printf '%s\n' "$view" | awk '$6 ~ /myself/ { print $7 }')

# Known to others: ask the master (a replica) or up to two connected peers (a master) whether they list this node.
peers=$(printf '%s\n' "$view" | awk -v m="$master" '$6 !~ /myself|fail|noaddr|handshake/ && $8 == "connected" { print ($1 == m ? 0 : 1), $2, $3 }' |
  sort -n | awk 'NR <= 2 { print $2, $3 }')
known=no
asked=0
while read -r ip port; do
  [ -n "$ip" ] || continue
  asked=$((asked + 1))
  if cluster_view "$ip" "$port" | awk -v id="$myid" '$1 == id && $6 !~ /fail|noaddr|handshake/ && $8 == "connected" { ok = 1 } END { exit !ok }'; then
    known=yes
    break
  fi
done <<EOF_PEERS
$peers
EOF_PEERS
if [ "$known" != yes ]; then
  printf 'not ready: no other node lists this node (%s) as a connected member (asked %s)\n' "$myid" "$asked"
  exit 1
fi

# A replica is linked to its master and not in a full sync: the Sentinel topologies' readiness, as it is.
exec sh "$SCRIPTS_DIR/readiness.sh"
