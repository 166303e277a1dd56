# shellcheck shell=sh
# cluster-prestop.sh: preStop hook of a Redis Cluster node. A master that
# holds slots hands them to its replica before it stops: it sends CLUSTER
# FAILOVER to its most up-to-date connected replica, which has the master
# pause writes, catches up with its offset, and takes over (no acknowledged
# write lost), then waits until this node reports role slave. Without the hand-
# over its shard refuses writes until the cluster sees it fail (node timeout
# plus the election). A replica that has not taken over within
# CLUSTER_FAILOVER_SECONDS is passed over for the next one: a healthy hand-over
# takes tens of milliseconds, and a replica that lost an election in the last
# 4 x cluster-node-timeout cannot win one (below). When none took over, the
# most up-to-date replica takes over without an election (CLUSTER FAILOVER
# TAKEOVER) once this master has paused writes and the replica has every one
# of them, and only while every master is reachable. The whole wait is
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
CLUSTER_FAILOVER_SECONDS="${CLUSTER_FAILOVER_SECONDS:-2}"
# The takeover's write pause must outlast both of its waits (the catch-up, then the replica's promotion), each
# up to CLUSTER_FAILOVER_SECONDS counted in whole seconds, with room to spare: writes let through after the
# replica's offset was read would be lost by a takeover. Lifted at once when the hand-over is done or given up;
# the bound only matters if this script dies in between. 10000 ms for the default 2 s.
TAKEOVER_PAUSE_MILLISECONDS="${TAKEOVER_PAUSE_MILLISECONDS:-$(((2 * (CLUSTER_FAILOVER_SECONDS + 1) + 4) * 1000))}"
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
  # A master that has just handed over counts its former replicas too: they follow the new master, and this
  # node's view may not have caught up with that yet.
  _others=$(printf '%s\n' "$_v" | awk -v m="$_m" -v me="$myid" '($7 == m || $7 == me) && $6 !~ /myself/ && ("," $6 ",") !~ /,fail,/ { n++ } END { print n + 0 }')
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

# wait_replica SECONDS: wait until this node reports role slave, at least SECONDS (looks 0.2 s apart, counted:
# whole-second clocks would make it anything from SECONDS - 1) and within PRESTOP_WAIT_SECONDS.
wait_replica() {
  _looks=$(($1 * 5))
  while [ "$_looks" -gt 0 ] && [ $(($(date +%s) - start)) -lt "$PRESTOP_WAIT_SECONDS" ]; do
    [ "$(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication role)" != slave ] || return 0
    sleep 0.2
    _looks=$((_looks - 1))
  done
  return 1
}

# A replica that lost an election keeps it for 2 x cluster-node-timeout, waiting for votes that never come,
# and calls it expired until 4 x cluster-node-timeout: a manual failover in that time joins the old election
# instead of starting one (Redis 7.0 clusterHandleSlaveFailover; valkey-io/valkey#1274), and this master pauses
# writes for nothing until the request times out (5 s). Found by `redisgen drill`, master-prestop on 4 shards x 2
# replicas: the replica asked first had lost an election to the other one 6.3 s before, and the shard's writes
# stopped for 5 s with no hand-over. So each replica gets CLUSTER_FAILOVER_SECONDS, then the next one is asked.
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
  if wait_replica "$CLUSTER_FAILOVER_SECONDS"; then
    # A replica passed over may have won after all: the log names the one this node follows.
    log "handed over to $target after $(($(date +%s) - start))s (now a replica of $(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication master_host)); stopping as a replica"
    release_fence
    exit 0
  fi
  log "$target did not take over within ${CLUSTER_FAILOVER_SECONDS}s"
done

# settled HOST PORT: in the view of the node at HOST:PORT every master with slots is connected and not flagged
# failing (pfail or fail): no partition, and no failover under way that a takeover could race.
settled() {
  _sv=$(cluster_view "$1" "$2") || return 1
  printf '%s\n' "$_sv" | awk '$6 ~ /master/ && $9 != "-" && ($6 ~ /fail|noaddr|handshake/ || ($6 !~ /myself/ && $8 != "connected")) { bad = 1 } END { exit bad }'
}

# No replica won an election: the most up-to-date one takes over without one. CLUSTER FAILOVER TAKEOVER gives
# the replica a new config epoch on its own and skips the catch-up a manual failover does, so this script does
# that part: it pauses writes here (bounded: a script that dies lets them go on), waits until the replica has
# processed every byte of this master's replication stream, and only then hands over; writes sent meanwhile are
# answered after the pause, with MOVED to the new master. An epoch taken without a vote can collide with a
# failover the rest of the cluster runs at the same time, so this happens only when this node and the replica
# both see every master with slots connected and none failing.
targets=$(linked_replicas)
target=$(printf '%s\n' "$targets" | awk 'NF { print; exit }')
if [ -n "$target" ] && [ $(($(date +%s) - start + CLUSTER_FAILOVER_SECONDS)) -lt "$PRESTOP_WAIT_SECONDS" ]; then
  if ! settled "$LOCAL_REDIS_HOST" "$REDIS_PORT" || ! settled "${target%:*}" "${target##*:}"; then
    log "a master with slots is not reachable or failing: no takeover without an election"
  elif redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLIENT PAUSE "$TAKEOVER_PAUSE_MILLISECONDS" WRITE </dev/null >/dev/null 2>&1; then
    log "writes paused for up to ${TAKEOVER_PAUSE_MILLISECONDS}ms: $target takes over once it has every write"
    caught_up=""
    paused=$(date +%s)
    while [ $(($(date +%s) - paused)) -lt "$CLUSTER_FAILOVER_SECONDS" ]; do
      # Ours first, then the replica's: a replication PING sent in between only makes ours look older.
      ours=$(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication master_repl_offset)
      theirs=$(info_field "${target%:*}" "${target##*:}" replication slave_repl_offset)
      if [ -n "$ours" ] && [ -n "$theirs" ] && [ "$theirs" -ge "$ours" ]; then
        caught_up=$theirs
        break
      fi
      sleep 0.05
    done
    if [ -z "$caught_up" ]; then
      log "$target did not reach offset ${ours:-?} (at ${theirs:-?}) within ${CLUSTER_FAILOVER_SECONDS}s: no takeover"
    elif ! out=$(redis_cli "${target%:*}" "${target##*:}" CLUSTER FAILOVER TAKEOVER 2>&1); then
      log "CLUSTER FAILOVER TAKEOVER refused by $target: $(printf '%s' "$out" | tr -d '\r' | tr '\n' ' ')"
    elif wait_replica "$CLUSTER_FAILOVER_SECONDS"; then
      redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLIENT UNPAUSE </dev/null >/dev/null 2>&1 || true
      log "handed over to $target (takeover at offset $caught_up) after $(($(date +%s) - start))s; stopping as a replica"
      release_fence
      exit 0
    else
      log "$target did not take over within ${CLUSTER_FAILOVER_SECONDS}s of CLUSTER FAILOVER TAKEOVER"
    fi
    redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLIENT UNPAUSE </dev/null >/dev/null 2>&1 || true
  fi
fi
log "no replica took over within $(($(date +%s) - start))s; stopping as master (the cluster fails over after cluster-node-timeout)"
exit 0
