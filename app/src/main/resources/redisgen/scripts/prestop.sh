# shellcheck shell=sh
# prestop.sh: preStop hook of the Redis container. A master with a linked
# replica hands over before it stops: it waits for fresh Sentinel views, pauses
# writes, asks a Sentinel for a failover and waits (bounded by
# PRESTOP_WAIT_SECONDS) until it is a replica linked to the new master; writes
# resume only once it is a replica. Never fails loudly: errors are logged,
# exit is 0.
set -u
LOG_TAG=prestop
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
PRESTOP_WAIT_SECONDS="${PRESTOP_WAIT_SECONDS:-40}"

# sentinels_name_other: true when a reachable Sentinel names another master.
sentinels_name_other() {
  _a=$(sentinel_answers | choose_master)
  [ -n "$_a" ] || return 1
  ! is_self "$(printf '%s\n' "$_a" | awk '{ print $1 }')"
}

# promoted_in_progress: true while a Sentinel that names this pod master still runs the failover that promoted it
# (flags failover_in_progress): its leader reconfigures the replicas, for up to failover-timeout when one of them is
# gone (a scale in deletes the pods beyond the new count beside the roll, and the roll deletes the pod just
# promoted a moment later). Asked now, the Sentinels answer INPROG, and that failover never hands this pod's role
# over: it stopped as master, and writes waited for down-after and a new failover (redisgen drill, gateway-ha
# 5 to 3 pods: 11 to 22 s without writes).
promoted_in_progress() {
  sentinel_answers | awk '$4 ~ /failover_in_progress/ { print $1 }' | while read -r _ph; do
    if is_self "$_ph"; then
      echo yes
      break
    fi
  done | grep -q yes
}

# online_replica_hosts: the announced address of every replica the local master lists as online.
online_replica_hosts() {
  redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" INFO replication 2>/dev/null | tr -d '\r' |
    awk '/^slave[0-9]+:/ {
      sub(/^slave[0-9]+:/, ""); n = split($0, kv, ","); ip = ""; st = ""
      for (i = 1; i <= n; i++) { split(kv[i], p, "="); if (p[1] == "ip") ip = p[2]; if (p[1] == "state") st = p[2] }
      if (st == "online" && ip != "") print ip
    }'
}

# online_replicas: how many replicas the local master lists as online.
online_replicas() {
  online_replica_hosts | awk 'END { print NR }'
}

# replicas_gone: true, writes unpaused, when no replica is online any more. Every pod stopping at once
# (a whole-cluster restart): the replicas leave first and there is nobody to hand over to; Redis saves
# on SIGTERM and the kept state names this pod.
replicas_gone() {
  [ "$(online_replicas)" -eq 0 ] || return 1
  log "no online replica left to hand over to; stopping as master"
  redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLIENT UNPAUSE >/dev/null 2>&1 || true
}

# sentinel_views: one line per Sentinel, "STATE HOST PORT", where STATE is
#   ok          it reaches every replica this master has online, and has seen each replica as a
#               replica since its last role change;
#   stale-role  it last saw some replica as a master. A Sentinel polls a replica's INFO only every
#               10 s unless its master is down or failing over; one that last saw a replica as master
#               (it was master a moment ago: a quick succession of failovers, as in a rolling update)
#               takes it for a stale master once it is promoted and turns it back into a replica
#               (+convert-to-slave), and the failover stalls for failover-timeout. No Sentinel may
#               be in this state when the failover starts;
#   stale-reach it cannot reach some replica this master has online (link down, or no PING answered
#               for over 2.5 s where it pings every second): it still holds the address the pod had
#               before it was recreated (Sentinel resolves a name again only when it reconnects, and
#               keeps a link to a vanished address up to about 15 s). As the failover's leader it
#               would never tell that replica about the new master, and the new master, short of
#               replicas for min-replicas-to-write, would refuse writes until somebody did. Such a
#               Sentinel is not asked to lead the failover;
#   down        it did not answer.
# All found by `redisgen drill` (every recreated pod gets a new IP). The first call logs what is stale.
sentinel_views() {
  _online=$(online_replica_hosts)
  while read -r _sh _sp; do
    [ -n "$_sh" ] || continue
    if ! _replicas=$(sentinel_cli "$_sh" "$_sp" SENTINEL REPLICAS "$MASTER_NAME" 2>/dev/null) ||
      [ "$(printf '%s' "$_replicas" | head -c 4)" = ERR ]; then
      printf 'down %s %s\n' "$_sh" "$_sp"
      continue
    fi
    _views=$(printf '%s\n' "$_replicas" | tr -d '\r' |
      awk 'prev == "ip" { ip = $0 } prev == "flags" { flags = $0 } prev == "last-ok-ping-reply" { ping = $0 }
           prev == "role-reported" { role = $0 }
           prev == "role-reported-time" { print ip, flags, role, ping } { prev = $0 }' |
      while read -r _host _flags _role _ping; do
        # Sentinel keeps a replica record for this very pod from when it was a replica; it rightly says
        # master, and is not a stale view of anybody that could be promoted.
        is_self "$_host" && continue
        # A replica this master does not have online and whose name no longer resolves is a pod that is gone (a
        # scale-in removed it; a recreated pod resolves again within seconds): it is promoted by nobody, and the
        # role a Sentinel last saw it in is no stale view. Counted, the master before this one, removed by
        # the scale-in, held the hand-over for PRESTOP_FRESH_SECONDS (found by `redisgen drill`, upgrade from 5
        # to 3 pods: the master handed over 15.5-16.7 s after its deletion in 8 runs of 10, against 0.9-1.9 s).
        if ! printf '%s\n' "$_online" | grep -qxF "$_host" && ! resolve "${_host%.}" >/dev/null 2>&1; then
          continue
        fi
        if [ "$_role" != slave ]; then
          printf 'role %s (%s, role-reported %s)\n' "$_host" "$_flags" "$_role"
          continue
        fi
        printf '%s\n' "$_online" | grep -qxF "$_host" || continue
        case ",$_flags," in
          *,disconnected,* | *,s_down,*)
            printf 'reach %s (%s, online at this master)\n' "$_host" "$_flags"
            continue
            ;;
        esac
        if [ "${_ping:-0}" -gt 2500 ] 2>/dev/null; then
          printf 'reach %s (no PING answer for %s ms, online at this master)\n' "$_host" "$_ping"
        fi
      done)
    if [ -z "$_views" ]; then
      printf 'ok %s %s\n' "$_sh" "$_sp"
      continue
    fi
    [ -n "${STALE_LOGGED:-}" ] || log "Sentinel $_sh has a stale view of: $(printf '%s' "$_views" | cut -d' ' -f2- | tr '\n' ' ')"
    if printf '%s\n' "$_views" | grep -q '^role '; then
      printf 'stale-role %s %s\n' "$_sh" "$_sp"
    else
      printf 'stale-reach %s %s\n' "$_sh" "$_sp"
    fi
  done <<EOF_VIEWS
$(sentinel_addresses)
EOF_VIEWS
}

hand_over() {
  role=$(redis_role "$LOCAL_REDIS_HOST" "$REDIS_PORT") || {
    log "Redis not reachable; nothing to hand over"
    return 0
  }
  if [ "$role" != master ]; then
    return 0
  fi
  if [ "$(online_replicas)" -eq 0 ]; then
    log "master without an online replica; no failover"
    return 0
  fi
  # Before pausing writes: wait (bounded, writes still flowing) until no Sentinel has a stale view of
  # a replica's role and at least one reaches every online replica; that one will lead the failover.
  begin=$(date +%s)
  fresh_until=$((begin + ${PRESTOP_FRESH_SECONDS:-15}))
  while :; do
    # Every pod stopping at once: the replicas leave while this waits.
    if replicas_gone; then return 0; fi
    views=$(sentinel_views)
    if ! printf '%s\n' "$views" | grep -q '^stale-role ' && printf '%s\n' "$views" | grep -q '^ok '; then
      break
    fi
    if [ "$(date +%s)" -ge "$fresh_until" ]; then
      log "Sentinel views still stale after $(($(date +%s) - begin))s; handing over anyway (the split-brain guard repairs a replica left behind)"
      break
    fi
    STALE_LOGGED=1
    sleep 1
  done
  [ -z "${STALE_LOGGED:-}" ] || log "waited $(($(date +%s) - begin))s for fresh Sentinel views"
  # The failover that promoted this pod ends first, writes still flowing (within the same budget).
  while promoted_in_progress && [ $(($(date +%s) - begin)) -lt "$PRESTOP_WAIT_SECONDS" ]; do
    [ -n "${INPROG_LOGGED:-}" ] || log "the failover that promoted this pod is still under way; waiting for its end, writes flowing"
    INPROG_LOGGED=1
    sleep 1
  done
  [ -z "${INPROG_LOGGED:-}" ] || log "waited $(($(date +%s) - begin))s in all for the failover that promoted this pod to end"
  # The Sentinels to ask, those with a fresh view first (the one asked leads the failover).
  candidates=$(printf '%s\n' "$views" | awk '$1 == "ok" { print $2, $3 }'
    printf '%s\n' "$views" | awk '$1 != "ok" { print $2, $3 }')
  # The wait comes out of the same budget: the whole hand-over stays within PRESTOP_WAIT_SECONDS.
  PRESTOP_WAIT_SECONDS=$((PRESTOP_WAIT_SECONDS - ($(date +%s) - begin)))
  # Writes this master acknowledges after a replica was promoted are lost, even those WAIT
  # confirmed through another replica (that one resyncs from the new master and drops them).
  # Pause writes first: the replicas catch up, and nothing is written during the handover.
  if ! redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLIENT PAUSE $((PRESTOP_WAIT_SECONDS * 1000)) WRITE >/dev/null 2>&1; then
    log "CLIENT PAUSE WRITE failed; handing over without pausing writes"
  fi
  # A Sentinel refuses (NOGOODSLAVE) until it has fresh INFO from a replica,
  # e.g. right after the replica connected: ask again until the deadline.
  start=$(date +%s)
  asked=""
  while [ -z "$asked" ] && [ $(($(date +%s) - start)) -lt "$PRESTOP_WAIT_SECONDS" ]; do
    if replicas_gone; then return 0; fi
    while read -r sh sp; do
      out=$(sentinel_cli "$sh" "$sp" SENTINEL FAILOVER "$MASTER_NAME" 2>&1 | tr -d '\r')
      case "$out" in
        OK)
          asked="$sh:$sp"
          break
          ;;
        INPROG*)
          # A failover under way that demotes this pod does the hand-over; one that promoted it does not: ask again.
          if ! promoted_in_progress; then
            asked="$sh:$sp"
            break
          fi
          ;;
      esac
      log "Sentinel $sh:$sp refused the failover: ${out:-no answer}"
    done <<EOF_SENTINELS
$candidates
EOF_SENTINELS
    [ -n "$asked" ] || sleep 1
  done
  if [ -z "$asked" ]; then
    log "no Sentinel accepted the failover within ${PRESTOP_WAIT_SECONDS}s; stopping as master"
    redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLIENT UNPAUSE >/dev/null 2>&1 || true
    return 0
  fi
  log "failover of $MASTER_NAME requested from $asked; waiting up to ${PRESTOP_WAIT_SECONDS}s in all"
  named=""
  while [ $(($(date +%s) - start)) -lt "$PRESTOP_WAIT_SECONDS" ]; do
    role=$(redis_role "$LOCAL_REDIS_HOST" "$REDIS_PORT" || echo unknown)
    if [ "$role" != master ]; then
      # Reconfigured: writes held by the pause fail (READONLY) and their clients go to the new master.
      # Stop only once linked to it: the failover's leader reconfigures the replicas one at a time
      # (parallel-syncs) and waits up to failover-timeout for each; were this pod gone before its link
      # is up, the other replicas would wait that long too, and the new master, short of replicas for
      # min-replicas-to-write, would refuse writes meanwhile (found by `redisgen drill`).
      if [ "$role" = unknown ] || [ "$(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication master_link_status)" = up ]; then
        redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLIENT UNPAUSE >/dev/null 2>&1 || true
        log "handed over (role: $role, linked to the new master) after $(($(date +%s) - start))s"
        return 0
      fi
    elif [ -z "$named" ] && sentinels_name_other; then
      # The Sentinels name the new master, but this pod still runs as master and another replica may
      # still be attached to it: a write accepted now could be confirmed by that replica (WAIT) and then
      # dropped when it resyncs from the new master (found by `redisgen drill`). Writes stay paused.
      named=1
      log "the Sentinels name the new master after $(($(date +%s) - start))s; writes stay paused until this pod follows it"
    fi
    sleep 1
  done
  # A failover was requested and may still be under way: never resume writes on a master.
  if [ "$(redis_role "$LOCAL_REDIS_HOST" "$REDIS_PORT" || echo unknown)" = master ]; then
    log "still master after ${PRESTOP_WAIT_SECONDS}s; stopping with writes paused"
  else
    log "a replica, not yet linked to the new master after ${PRESTOP_WAIT_SECONDS}s; stopping"
  fi
}

# record_final_role: the master this pod follows as it stops (itself when it stops as master), for
# the next start when no Sentinel answers then (common.sh start_decide).
record_final_role() {
  _final=$(followed_master "$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" INFO replication 2>/dev/null)")
  record_followed "$_final"
  [ "$_final" != self ] || mark_stopped_as_master
}

# fence_back: a master taking writes without a replica (split-brain-guard.sh, "degraded writes") gets the
# rendered min-replicas-to-write back. The guard stops lowering it once STOPPING is there; a look it began
# just before is caught by the second call.
fence_back() {
  _fr=$(rendered_min_replicas)
  [ "${_fr:-0}" -gt 0 ] 2>/dev/null || return 0
  _fc=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CONFIG GET min-replicas-to-write 2>/dev/null | tr -d '\r' | sed -n 2p)
  [ "$_fc" = 0 ] || return 0
  redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CONFIG SET min-replicas-to-write "$_fr" >/dev/null 2>&1 &&
    log "degraded writes end: this pod is stopping; min-replicas-to-write $_fr again"
}

mark_stopping
fence_back
hand_over || log "preStop failed; continuing shutdown"
fence_back
record_final_role
exit 0
