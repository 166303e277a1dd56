# shellcheck shell=sh
# cluster-prestop.sh: preStop hook of a Redis Cluster node. A master that
# holds slots hands them to its replica before it stops: it sends CLUSTER
# FAILOVER to its most up-to-date connected replica, which has the master
# pause writes, catches up with its offset, and takes over (no acknowledged
# write lost), then waits until this node reports role slave. Without the hand-
# over its shard refuses writes until the cluster sees it fail (node timeout
# plus the election). A replica that does not answer within
# CLUSTER_FAILOVER_SECONDS is passed over for the next one; the whole wait is
# bounded by PRESTOP_WAIT_SECONDS, below the pod's grace period. Replicas stop
# at once. Either way, when this node is the last replica of its (new) master
# that could take over, it lifts that master's write fence (redis.conf's
# min-replicas-to-write, see cluster-heal.sh) before it stops: a shard without
# a replica keeps taking writes instead of refusing them until the cluster
# flags this node failing; its healer puts the fence back once a replica is
# linked again. Exit 0 always (errors are only logged).
set -u
LOG_TAG=prestop
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
PRESTOP_WAIT_SECONDS="${PRESTOP_WAIT_SECONDS:-40}"
CLUSTER_FAILOVER_SECONDS="${CLUSTER_FAILOVER_SECONDS:-10}"
start=$(date +%s)

view=$(cluster_view "$LOCAL_REDIS_HOST" "$REDIS_PORT") || {
  log "CLUSTER NODES did not answer; stopping without a hand-over"
  exit 0
}
mine=$(printf '%s\n' "$view" | awk '$6 ~ /myself/')
myid=$(printf '%s\n' "$mine" | awk '{ print $1 }')

# release_fence: lift the write fence of this replica's master when no other replica of it could take
# over (every other one flagged fail, or none): this one is about to stop.
release_fence() {
  [ "$(rendered_min_replicas)" -gt 0 ] || return 0
  _v=$(cluster_view "$LOCAL_REDIS_HOST" "$REDIS_PORT") || return 0
  _m=$(printf '%s\n' "$_v" | awk '$6 ~ /myself/ && $6 ~ /slave/ { print $7 }')
  [ -n "$_m" ] && [ "$_m" != - ] || return 0
  _others=$(printf '%s\n' "$_v" | awk -v m="$_m" '$7 == m && $6 !~ /myself/ && ("," $6 ",") !~ /,fail,/ { n++ } END { print n + 0 }')
  [ "$_others" -eq 0 ] || return 0
  _addr=$(printf '%s\n' "$_v" | awk -v m="$_m" '$1 == m { print $2, $3 }')
  [ -n "$_addr" ] || return 0
  # shellcheck disable=SC2086 # "ip port"
  set -- $_addr
  if redis_cli "$1" "$2" CONFIG SET min-replicas-to-write 0 </dev/null >/dev/null 2>&1; then
    log "the last replica of master $_m stops: its write fence lifted (min-replicas-to-write 0 on $1:$2)"
  else
    log "could not lift the write fence of master $_m at $1:$2"
  fi
}

case "$mine" in
  *master*) ;;
  *)
    log "a replica: nothing to hand over"
    release_fence
    exit 0
    ;;
esac
if [ "$(printf '%s\n' "$mine" | awk '{ print $9 }')" = - ]; then
  log "a master without slots: nothing to hand over"
  exit 0
fi

# linked_replicas: this master's replicas as the cluster lists them (connected, not failing) that are
# linked to it, most up-to-date first, one "ip:port" a line. Each is asked for its own offset: INFO
# replication of the master shows the address a replica connects from, which need not be the one the
# cluster knows.
linked_replicas() {
  printf '%s\n' "$view" | awk -v m="$myid" '$7 == m && $6 ~ /slave/ && $6 !~ /fail|noaddr|handshake/ && $8 == "connected" { print $2, $3 }' |
    while read -r ip port; do
      redis_cli "$ip" "$port" INFO replication </dev/null 2>/dev/null | tr -d '\r' | awk -F: -v a="$ip:$port" '
        { v[$1] = $2 } END { if (v["master_link_status"] == "up" && v["master_sync_in_progress"] != 1) print v["slave_repl_offset"] + 0, a }'
    done | sort -k1,1nr | awk '{ print $2 }'
}

# A replica still syncing (a pod that just started) is waited for, within the bound.
targets=$(linked_replicas)
while [ -z "$targets" ] && [ $(($(date +%s) - start)) -lt "$PRESTOP_WAIT_SECONDS" ] &&
  printf '%s\n' "$view" | awk -v m="$myid" '$7 == m && $6 !~ /fail|noaddr|handshake/ { f = 1 } END { exit !f }'; do
  sleep 1
  view=$(cluster_view "$LOCAL_REDIS_HOST" "$REDIS_PORT") || break
  targets=$(linked_replicas)
done
if [ -z "$targets" ]; then
  log "a master with slots but no replica linked to it: its shard is down until this node is back"
  exit 0
fi

is_replica_now() {
  [ "$(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication role)" = slave ]
}

for target in $targets; do
  waited=$(($(date +%s) - start))
  if [ "$waited" -ge "$PRESTOP_WAIT_SECONDS" ]; then
    break
  fi
  log "handing the slots over: CLUSTER FAILOVER to replica $target"
  if ! out=$(redis_cli "${target%:*}" "${target##*:}" CLUSTER FAILOVER 2>&1); then
    log "CLUSTER FAILOVER refused by $target: $(printf '%s' "$out" | tr -d '\r' | tr '\n' ' ')"
    continue
  fi
  tried=$(date +%s)
  while [ $(($(date +%s) - tried)) -lt "$CLUSTER_FAILOVER_SECONDS" ] && [ $(($(date +%s) - start)) -lt "$PRESTOP_WAIT_SECONDS" ]; do
    if is_replica_now; then
      log "handed over to $target after $(($(date +%s) - start))s; stopping as a replica"
      release_fence
      exit 0
    fi
    sleep 0.2
  done
  log "$target did not take over within ${CLUSTER_FAILOVER_SECONDS}s"
done
log "no replica took over within ${PRESTOP_WAIT_SECONDS}s; stopping as master (the cluster fails over after cluster-node-timeout)"
exit 0
