# shellcheck shell=sh
# sentinel-prestop.sh: preStop hook of the Sentinel container. A Sentinel that
# stops in the middle of a failover it runs forgets it when it starts again, and
# nobody else knows of it: the failover prestop.sh asks for (SENTINEL FAILOVER)
# needs no vote, so the other Sentinels hear of it only once its leader announces
# the new master. The replica it promoted then stays a master no Sentinel names,
# the other replicas under it, while the old master, its writes paused, is still
# the one the Sentinels name (found by `redisgen drill`, scenario upgrade:
# `kubectl apply` rolls the Sentinel StatefulSet together with Redis's; 9-10 s
# without writes until down-after ended it). This hook waits, bounded by
# SENTINEL_PRESTOP_WAIT_SECONDS, while this Sentinel reports a failover of
# MASTER_NAME in progress (flag failover_in_progress: from the moment it tries to
# lead until it switches to the new master and saves its config, or gives up),
# so that it stops with the failover done and kept. It changes nothing in Redis
# or in any Sentinel. Never fails loudly: exit 0.
set -u
LOG_TAG=sentinel-prestop
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
SENTINEL_PRESTOP_WAIT_SECONDS="${SENTINEL_PRESTOP_WAIT_SECONDS:-50}"

# master_flags: the flags this pod's Sentinel reports for MASTER_NAME, or fail when it does not answer.
master_flags() {
  _mf=$(sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" SENTINEL MASTER "$MASTER_NAME" 2>/dev/null | tr -d '\r' |
    awk 'prev == "flags" { print; exit } { prev = $0 }') || return 1
  [ -n "$_mf" ] || return 1
  printf '%s\n' "$_mf"
}

start=$(date +%s)
logged=""
while flags=$(master_flags); do
  case ",$flags," in
    *,failover_in_progress,*) ;;
    *) break ;;
  esac
  if [ "$(($(date +%s) - start))" -ge "$SENTINEL_PRESTOP_WAIT_SECONDS" ]; then
    log "a failover of $MASTER_NAME still in progress after ${SENTINEL_PRESTOP_WAIT_SECONDS}s; stopping anyway"
    exit 0
  fi
  if [ -z "$logged" ]; then
    log "a failover of $MASTER_NAME is in progress ($flags): stopping once it is done"
    logged=1
  fi
  sleep 0.2
done
if [ -n "$logged" ]; then
  log "the failover of $MASTER_NAME is done after $(($(date +%s) - start))s; now monitoring $(sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" SENTINEL get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | tr -d '\r' | tr '\n' ' ')"
fi
exit 0
