# shellcheck shell=sh
# cluster-create.sh: the cluster-creation Job. Waits (bounded) until every
# node answers PING, creates the cluster unless any node already holds slots
# (re-running is harmless), then waits until every node reports
# cluster_state:ok. Exit 0 when the cluster is ok, 1 otherwise.
set -eu
LOG_TAG=cluster-create
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
SHARDS="${SHARDS:-3}"
REPLICAS_PER_SHARD="${REPLICAS_PER_SHARD:-1}"
CLUSTER_WAIT_SECONDS="${CLUSTER_WAIT_SECONDS:-300}"

# nodes: one "host port" line per cluster node; CLUSTER_NODES (host:port ...)
# overrides the pod FQDNs.
nodes() {
  if [ -n "${CLUSTER_NODES:-}" ]; then
    for _a in $CLUSTER_NODES; do
      printf '%s %s\n' "${_a%:*}" "${_a##*:}"
    done
    return 0
  fi
  _i=0
  _total=$((SHARDS * (1 + REPLICAS_PER_SHARD)))
  while [ "$_i" -lt "$_total" ]; do
    printf '%s %s\n' "$(pod_address "$_i")" "$REDIS_PORT"
    _i=$((_i + 1))
  done
}

# all_nodes CHECK: true when CHECK HOST PORT succeeds for every node.
all_nodes() {
  nodes | {
    _ok=0
    while read -r _h _p; do
      "$1" "$_h" "$_p" || _ok=1
    done
    return "$_ok"
  }
}

# The checks below are called through all_nodes.
# shellcheck disable=SC2317
answers_ping() {
  [ "$(redis_cli "$1" "$2" PING 2>/dev/null | tr -d '\r')" = PONG ]
}

# shellcheck disable=SC2317
state_ok() {
  [ "$(info_field "$1" "$2" cluster cluster_state)" = ok ]
}

# shellcheck disable=SC2317
has_slots() {
  _s=$(info_field "$1" "$2" cluster cluster_slots_assigned)
  [ "${_s:-0}" -gt 0 ]
}

# wait_until SECONDS WHAT CHECK: bounded wait until all_nodes CHECK.
wait_until() {
  _start=$(date +%s)
  until all_nodes "$3"; do
    if [ $(($(date +%s) - _start)) -ge "$1" ]; then
      log "gave up after ${1}s waiting for $2"
      return 1
    fi
    sleep 2
  done
  log "$2: done after $(($(date +%s) - _start))s"
}

total=$(nodes | awk 'END { print NR }')
wait_until "$CLUSTER_WAIT_SECONDS" "all $total nodes to answer PING" answers_ping || exit 1

existing=$(nodes | while read -r h p; do
  if has_slots "$h" "$p" || state_ok "$h" "$p"; then printf '%s:%s\n' "$h" "$p"; fi
done)
if [ -n "$existing" ]; then
  log "cluster already created (slots on $(printf '%s\n' "$existing" | head -n 1)); not creating"
else
  # redis-cli 7.0 sends CLUSTER MEET with the given address, which must be an
  # IP: resolve the pod names first.
  addrs=""
  while read -r h p; do
    ip=$(resolve "$h") || {
      log "cannot resolve $h"
      exit 1
    }
    case "$ip" in
      *:*) addrs="$addrs [$ip]:$p" ;;
      *) addrs="$addrs $ip:$p" ;;
    esac
  done <<EOF_NODES
$(nodes)
EOF_NODES
  log "creating the cluster:$addrs (replicas per shard: $REPLICAS_PER_SHARD)"
  # shellcheck disable=SC2086 # one word per node address
  (
    if [ -n "${REDIS_PASSWORD:-}" ]; then
      REDISCLI_AUTH=$REDIS_PASSWORD
      export REDISCLI_AUTH
    fi
    exec redis-cli --cluster create $addrs --cluster-replicas "$REPLICAS_PER_SHARD" --cluster-yes
  ) || {
    log "redis-cli --cluster create failed"
    exit 1
  }
fi

wait_until "$CLUSTER_WAIT_SECONDS" "cluster_state:ok on all $total nodes" state_ok || exit 1
exit 0
