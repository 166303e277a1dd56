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
# SENTINEL_PRESTOP_WAIT_SECONDS, while this Sentinel runs a failover of
# MASTER_NAME that changes Redis or is bound to: flag failover_in_progress
# (until it switches to the new master and saves its config, or gives up) with
# force_failover (SENTINEL FAILOVER, which needs no vote, was accepted) or a
# replica it has flagged promoted (it selected it: sentinel-notify.sh has
# repointed the other replicas at it). Merely asking for votes, which the
# others may refuse, does not hold it back. It stops with the failover done and
# kept. It changes nothing in Redis or in any Sentinel. Never fails loudly: exit 0.
set -u
LOG_TAG=sentinel-prestop
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
SENTINEL_PRESTOP_WAIT_SECONDS="${SENTINEL_PRESTOP_WAIT_SECONDS:-50}"

# flags_of SENTINEL-COMMAND: the flags of every instance a SENTINEL MASTER / REPLICAS answer lists, one per line.
flags_of() {
  sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" SENTINEL "$1" "$MASTER_NAME" 2>/dev/null | tr -d '\r' |
    awk 'prev == "flags" { print } { prev = $0 }'
}

# failover_under_way: true (printing the flags) while this Sentinel runs a failover that changes Redis.
failover_under_way() {
  _fm=$(flags_of MASTER)
  case ",$_fm," in
    *,failover_in_progress,*) ;;
    *) return 1 ;;
  esac
  case ",$_fm," in
    *,force_failover,*) ;;
    *) flags_of REPLICAS | grep -q -e '^promoted,' -e ',promoted,' -e ',promoted$' || return 1 ;;
  esac
  printf '%s\n' "$_fm"
}

start=$(date +%s)
logged=""
while flags=$(failover_under_way); do
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
