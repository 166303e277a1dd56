# shellcheck shell=sh
# cluster-liveness.sh: liveness probe of a Redis Cluster node. Dead (the
# kubelet restarts the container, and cluster-start.sh repairs nodes.conf) only
# when the node has stayed out of the cluster for CLUSTER_LIVENESS_SECONDS:
# a member (it knows other nodes) whose CLUSTER INFO says cluster_state:fail,
# or a replica whose link to a master that nobody reports failing stays down.
# Never dead while it loads its data (LOADING), runs a script (BUSY), or waits
# for a failover (its master failing: the replicas' election is under way);
# never before the cluster was created (a node alone, holding no slots, waits
# for the creation Job or cluster-heal.sh; a restart would not help it).
# The time out of the cluster is kept in RUN_DIR/out-of-cluster-since.
# Exit 0 alive, 1 not (reason on stdout).
set -u
LOG_TAG=liveness
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
BOUND="${CLUSTER_LIVENESS_SECONDS:-300}"
clock="$RUN_DIR/out-of-cluster-since"

out=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" PING 2>&1 | tr -d '\r')
case "$out" in
  PONG) ;;
  LOADING* | BUSY* | MASTERDOWN*) exit 0 ;;
  *)
    printf 'not alive: %s\n' "${out:-no answer}"
    exit 1
    ;;
esac

# out_of_cluster: prints why this node counts as out of the cluster, or nothing.
out_of_cluster() {
  _state=$(cluster_info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" cluster_state)
  _view=$(cluster_view "$LOCAL_REDIS_HOST" "$REDIS_PORT") || return 0
  if [ "$(printf '%s\n' "$_view" | awk 'END { print NR }')" -le 1 ]; then
    return 0
  fi
  _mine=$(printf '%s\n' "$_view" | awk '$6 ~ /myself/')
  _master=$(printf '%s\n' "$_mine" | awk '{ print $7 }')
  if [ "$_master" != - ] && printf '%s\n' "$_view" | awk -v m="$_master" '$1 == m && $6 ~ /fail/ { f = 1 } END { exit !f }'; then
    return 0
  fi
  if [ "$_state" != ok ]; then
    printf 'cluster_state:%s\n' "${_state:-unknown}"
    return 0
  fi
  if [ "$_master" != - ]; then
    _link=$(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication master_link_status)
    if [ "$_link" != up ]; then
      printf 'replica with its link to master %s %s\n' "$_master" "${_link:-unknown}"
    fi
  fi
}

why=$(out_of_cluster)
if [ -z "$why" ]; then
  rm -f "$clock"
  exit 0
fi
now=$(date +%s)
since=$(cat "$clock" 2>/dev/null || true)
case "$since" in
  '' | *[!0-9]*)
    mkdir -p "$RUN_DIR" 2>/dev/null
    printf '%s\n' "$now" >"$clock"
    since=$now
    ;;
esac
if [ $((now - since)) -ge "$BOUND" ]; then
  printf 'not alive: out of the cluster for %ss (bound %ss): %s\n' $((now - since)) "$BOUND" "$why"
  exit 1
fi
exit 0
