# shellcheck shell=sh
# split-brain-guard.sh: runs in the background of the Redis container. Every
# GUARD_INTERVAL_SECONDS it checks this pod's role against the master a
# Sentinel majority names:
# - a pod reporting role:master that the Sentinels do not name (an old master
#   back from a partition) becomes a replica of the named master;
# - a replica that follows another master than the named one (it missed a
#   reconfiguration, or its kept state named an old master) follows the named
#   master instead.
# It acts only when the named pod really reports role:master, the Sentinels
# agree and no failover is in progress. It never acts on a pod the Sentinels
# name master, on disagreeing or unreachable Sentinels, or during a failover;
# and before it acts it looks again after GUARD_CONFIRM_SECONDS (more than a
# Sentinel hello period), so a freshly promoted master whose Sentinels have
# not all heard of the promotion yet is not demoted (a replica whose own master
# does not answer is repointed after 1 s). It also records the master it sees
# for the next start, and lifts the write fence the Sentinels put on a master
# they saw down (sentinel-notify.sh, common.sh "write fence").
# It looks every GUARD_INTERVAL_SECONDS, and every second while this replica's
# link to its master is down or the fence is up; whether the fence is up,
# twice a second (FENCE_POLL_SECONDS).
# Beside it, in a process of its own that looks every second (twice a second
# on a master without an online replica), it lowers
# min-replicas-to-write to 0 on a master that has no replica online while a
# Sentinel majority names it and sees nothing wrong, and puts the rendered value
# back as soon as that stops being so ("degraded writes" below).
set -u
LOG_TAG=split-brain-guard
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
GUARD_INTERVAL_SECONDS="${GUARD_INTERVAL_SECONDS:-10}"
GUARD_CONFIRM_SECONDS="${GUARD_CONFIRM_SECONDS:-5}"
FENCE_CONFIRM_SECONDS="${FENCE_CONFIRM_SECONDS:-1}"
FENCE_POLL_SECONDS="${FENCE_POLL_SECONDS:-0.5}"

# same_master HOST1 PORT1 HOST2 PORT2: true when both name the same server
# (the same name, or names that resolve to the same address).
same_master() {
  [ "$2" = "$4" ] || return 1
  [ "${1%.}" = "${3%.}" ] && return 0
  _r1=$(resolve "${1%.}") || return 1
  _r2=$(resolve "${3%.}") || return 1
  [ "$_r1" = "$_r2" ]
}

# guard_check: print "HOST PORT VOTES SENTINELS FOLLOWING" when this pod must
# follow HOST:PORT, the master the Sentinels name (FOLLOWING: the master this
# replica follows now, or "-" when this pod is a master); print nothing
# otherwise, and log why it does not act where that matters.
guard_check() {
  role=$(redis_role "$LOCAL_REDIS_HOST" "$REDIS_PORT") || return 0
  answers=$(sentinel_answers)
  n=$(sentinels_present)
  best=$(printf '%s\n' "$answers" | choose_master)
  bh=$(printf '%s\n' "$best" | awk '{ print $1 }')
  bp=$(printf '%s\n' "$best" | awk '{ print $2 }')
  votes=$(printf '%s\n' "$best" | awk '{ print $3 }')
  if [ "$role" != master ]; then
    mh=$(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication master_host)
    mp=$(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication master_port)
    [ -n "$mh" ] && [ -n "$mp" ] || return 0
    # The usual case, or nobody to ask: remember the master this replica follows.
    if [ -z "$answers" ] || same_master "$mh" "$mp" "$bh" "$bp"; then
      record_master "$mh" "$mp"
      return 0
    fi
    following="$mh:$mp"
    what="replica of $mh:$mp"
    if is_self "$bh"; then
      # The Sentinels' own business: they fail over a master that reports role:slave.
      log "$what, but the Sentinels name this pod; leaving it to them"
      return 0
    fi
  else
    following=-
    what="master here"
    if [ -z "$answers" ]; then
      log "$what, but no Sentinel answered (0 of $n); not acting"
      return 0
    fi
    if is_self "$bh"; then
      record_master "$(self_address)" "$REDIS_PORT"
      return 0
    fi
  fi
  if [ $((votes * 2)) -le "$n" ]; then
    log "$what, but only $votes of $n Sentinels name $bh:$bp; not acting"
    return 0
  fi
  if [ "$(printf '%s\n' "$answers" | awk '{ print $1, $2 }' | sort -u | awk 'END { print NR }')" -ne 1 ]; then
    log "$what, Sentinels disagree; not acting"
    return 0
  fi
  if printf '%s\n' "$answers" | grep -q -e failover_in_progress -e promoted; then
    log "$what, failover in progress; not acting"
    return 0
  fi
  other=$(redis_role "$bh" "$bp" || echo unreachable)
  if [ "$other" != master ]; then
    log "$what, Sentinels name $bh:$bp, which reports role '$other'; waiting for it"
    return 0
  fi
  printf '%s %s %s %s %s\n' "$bh" "$bp" "$votes" "$n" "$following"
}

# confirm_wait SECONDS: sleeps SECONDS, a second at a time, with unfence_replica after each: a pod that
# becomes a replica while the guard confirms (a healed old master the Sentinels convert) drops the fence
# then, not after the confirmation; a replica promoted within those seconds was a fenced master (found by
# `redisgen drill`, gateway-ha rolling-update after partition; sentinel-notify.sh unfences it too).
confirm_wait() {
  _cw=0
  while [ "$_cw" -lt "$1" ]; do
    sleep 1
    unfence_replica || true
    _cw=$((_cw + 1))
  done
}

guard_once() {
  first=$(guard_check)
  [ -n "$first" ] || return 0
  following=$(printf '%s\n' "$first" | awk '{ print $5 }')
  named=$(printf '%s\n' "$first" | awk '{ print $3 " of " $4 " Sentinels name " $1 ":" $2 }')
  if [ "$following" = - ]; then
    problem="split brain"
    log "split brain suspected: this pod is master but $named, which is master; confirming in ${GUARD_CONFIRM_SECONDS}s"
  else
    problem="wrong master"
    log "wrong master suspected: this pod replicates $following but $named, which is master; confirming"
  fi
  confirm=$GUARD_CONFIRM_SECONDS
  if [ "$following" != - ] && ! redis_role "${following%:*}" "${following##*:}" >/dev/null; then
    # The master this replica follows does not answer (a pod that is gone, an address from before its
    # restart): nothing to protect by waiting, and the new master needs its replicas to take writes.
    confirm=1
  fi
  confirm_wait "$confirm"
  again=$(guard_check)
  if [ -z "$again" ]; then
    log "$problem not confirmed; not acting"
    return 0
  fi
  bh=$(printf '%s\n' "$again" | awk '{ print $1 }')
  bp=$(printf '%s\n' "$again" | awk '{ print $2 }')
  if [ "$bh $bp" != "$(printf '%s\n' "$first" | awk '{ print $1, $2 }')" ]; then
    log "$problem: the Sentinels' master changed while confirming; not acting"
    return 0
  fi
  named=$(printf '%s\n' "$again" | awk '{ print $3 " of " $4 " Sentinels name " $1 ":" $2 }')
  if [ "$following" = - ]; then
    log "split brain: this pod is master but $named, which is master; REPLICAOF $bh $bp"
  else
    log "wrong master: this pod replicates $(printf '%s\n' "$again" | awk '{ print $5 }') but $named, which is master; REPLICAOF $bh $bp"
  fi
  if out=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" REPLICAOF "$bh" "$bp" 2>&1); then
    record_master "$bh" "$bp"
  else
    log "REPLICAOF failed: $out"
  fi
}

# fenced: true while the write fence is up on this pod's Redis.
fenced() {
  [ "$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CONFIG GET min-replicas-to-write 2>/dev/null | tr -d '\r' | sed -n 2p)" = "$FENCE_REPLICAS" ]
}

# still_the_master: true when the Sentinels agree this pod is the master: a majority answers, every answer
# names this pod and none is failing it over (no o_down, no failover in progress; s_down alone is a
# Sentinel that has not had this resumed master's PING answer yet), and no other Redis pod reports
# role:master. Logs why not.
still_the_master() {
  answers=$(sentinel_answers)
  n=$(sentinels_present)
  k=$(printf '%s' "$answers" | awk 'NF { k++ } END { print k + 0 }')
  if [ $((k * 2)) -le "$n" ]; then
    log "write fence stays: $k of $n Sentinels answer"
    return 1
  fi
  odd=$(printf '%s\n' "$answers" | while read -r h p _e f; do
    case ",$f," in
      *,o_down,* | *failover* | *promoted* | *reconf*) printf '%s:%s(%s) ' "$h" "$p" "$f" ;;
      *) is_self "$h" || printf '%s:%s(%s) ' "$h" "$p" "$f" ;;
    esac
  done)
  if [ -n "$odd" ]; then
    log "write fence stays: the Sentinels name $odd"
    return 1
  fi
  for a in $(other_pod_addresses); do
    if [ "$(redis_role "$a" "$REDIS_PORT" || echo unreachable)" = master ]; then
      log "write fence stays: $a reports role master"
      return 1
    fi
  done
  return 0
}

# lift_fence REASON: min-replicas-to-write back to the rendered value.
lift_fence() {
  if out=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CONFIG SET min-replicas-to-write "$(rendered_min_replicas)" 2>&1); then
    log "write fence lifted: $1"
  else
    log "lifting the write fence failed: $out"
  fi
}

# unfence_replica: a replica drops the fence at once (it takes no writes, and must not keep it into a later
# promotion). True when this pod is not a master (or does not answer): nothing more to do about the fence.
unfence_replica() {
  fenced || return 0
  role=$(redis_role "$LOCAL_REDIS_HOST" "$REDIS_PORT") || return 0
  [ "$role" != master ] || return 1
  lift_fence "this pod is a replica"
}

# fence_once: unfence_replica; a master drops the fence only when the Sentinels agree it is the master, twice
# FENCE_CONFIRM_SECONDS apart: a failover's leader may be promoting a replica while the others have not heard
# of it yet.
fence_once() {
  unfence_replica && return 0
  still_the_master || return 0
  sleep "$FENCE_CONFIRM_SECONDS"
  fenced || return 0
  [ "$(redis_role "$LOCAL_REDIS_HOST" "$REDIS_PORT" || echo unknown)" = master ] || return 0
  still_the_master || return 0
  lift_fence "the Sentinels agree this pod is still the master"
}

# fence_nap: two FENCE_POLL_SECONDS (a second), cut short after the first when the write fence is up. A master
# that resumes from a stall just longer than down-after, too short for a failover, finds the fence the Sentinels
# put on it (it applies it as it resumes): fence_once then lifts it as soon as they agree twice, not up to a second
# later (found by `redisgen drill`, freeze on five pods: writes stopped for 8.07 s after a 5.7 s freeze, the fence
# lifted 2.3 s after the resume).
fence_nap() {
  _fn=0
  while [ "$_fn" -lt 2 ]; do
    sleep "$FENCE_POLL_SECONDS"
    _fn=$((_fn + 1))
    if [ "$_fn" -lt 2 ] && fenced; then return 0; fi
  done
}

# replication: this pod's INFO replication, read once a second for both checks below.
replication() {
  redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" INFO replication 2>/dev/null | tr -d '\r'
}

# link_down INFO: true when this pod is a replica whose link to its master is down.
link_down() {
  printf '%s\n' "$1" | grep -qx 'master_link_status:down'
}

# record_role INFO: record the master this pod follows now (itself when it is master), when that changed.
# The Sentinels promote and repoint pods without telling them; a pod restarted while no Sentinel
# answers decides from this record, which must not be GUARD_INTERVAL_SECONDS old (found by `redisgen
# drill`, scenario reboot: a promotion 8 s before every pod stopped was not recorded).
record_role() {
  _rr=$(followed_master "$1")
  [ -n "$_rr" ] && [ "$_rr" != "${recorded_role:-}" ] || return 0
  record_followed "$_rr"
  recorded_role=$_rr
}

# ---------------------------------------------------------------- degraded writes
# After a double fault on 3 Redis pods (the master gone while another pod restarts) the new master's only
# possible replica is the pod that is restarting, and min-replicas-to-write refused every write until that
# pod had loaded its data and resynced: 9-18 s without writes instead of down-after + 3 s (found by
# `redisgen drill`, scenarios replica-restart and dead-master-dns). A master with no replica online
# therefore takes writes without one (min-replicas-to-write 0) while ALL of these hold, and gets the
# rendered value back within the same look (every second, every half second on a master without an online
# replica) as soon as one does not:
# - it reports role:master and lists no replica in state online (a replica still syncing is not online);
# - a majority of the configured Sentinels answer within DEGRADED_ASK_SECONDS, each naming this pod master
#   with flags exactly "master" (no s_down, o_down, failover, disconnected), and no Sentinel that answers
#   names another pod or reports a failover of this pod. The failover that promoted this pod counts as
#   naming it: its leader reports it in progress until every replica is reconfigured (here: until the
#   restarting pod is back or seen down), but a promotion is never undone;
# - its preStop has not begun (STOPPING): a hand-over moves the replicas to the promoted pod, so a master
#   in its preStop can be left without one while the Sentinels still name it (their leader restarted in
#   the same roll and forgot the failover);
# - no other Redis pod that answers reports role:master (the promoted pod of that same hand-over).
# Both found by the upgrade drill: without them, a master in its hand-over took writes degraded beside
# the promoted one, and the Sentinels then turned the promoted pod back into its replica (3,361 and
# 2,739 WAIT-confirmed writes lost in 2 of 8 roll-backs).
# Why it cannot give two masters or lose a WAIT-confirmed write:
# - WAIT confirms nothing on a master without a replica; a replica that comes online ends degraded writes
#   (the rendered value counts it as before, and WAIT works as before);
# - a failover needs a quorum (a majority, the planner's rule) of Sentinels to see this master down for
#   down-after. A partitioned master cannot reach that majority either: its next look, at most about
#   2 s later (the Sentinels are asked all at once, each for at most DEGRADED_ASK_SECONDS), restores the
#   fence, well before down-after;
# - it lowers only the rendered value and restores only 0, each in one transaction that reads the value
#   it replaces (MULTI, CONFIG GET, CONFIG SET, EXEC): a Sentinel's +sdown fence (FENCE_REPLICAS) that
#   landed in between is put back at once, and it never lowers one otherwise. When the answer does not
#   come (a frozen or stalled Redis applies the transaction whenever it resumes) or a look took longer
#   than DEGRADED_STALL_SECONDS (a frozen pod: its view is stale), the fence is queued (redis_queue) after
#   it; fence_once lifts it as usual once the Sentinels agree this pod is still the master;
# - a replica, or a pod whose Redis restarts, never keeps 0: a replica gets the rendered value at once,
#   and redis-start.sh builds the runtime config from the ConfigMap at every start (a CONFIG REWRITE by a
#   Sentinel may have copied 0 into the runtime copy); the value restored is read from the ConfigMap too;
# - it runs in a process of its own, so that guard_once, which may wait on unreachable Sentinels for
#   many seconds, never delays a look; it ends when the guard does.
# The price: while degraded, a write is acknowledged by one pod only, and lost if that pod is lost before
# a replica has synced (WAIT says so: it returns 0).
DEGRADED_ASK_SECONDS="${DEGRADED_ASK_SECONDS:-1}"
DEGRADED_STALL_SECONDS="${DEGRADED_STALL_SECONDS:-3}"

# degraded_answers: "host port flags current-host current-port" of MASTER_NAME from each Sentinel that
# answers within DEGRADED_ASK_SECONDS, all asked at once on one connection each: SENTINEL MASTER (the
# master it monitors, and its flags) and get-master-addr-by-name (the same, or the replica a failover of
# it has promoted).
degraded_answers() {
  sentinel_addresses | {
    while read -r _dh _dp; do
      (
        REDIS_CLI_TIMEOUT=$DEGRADED_ASK_SECONDS
        printf 'SENTINEL MASTER %s\nSENTINEL get-master-addr-by-name %s\n' "$MASTER_NAME" "$MASTER_NAME" |
          sentinel_cli "$_dh" "$_dp" 2>/dev/null | tr -d '\r' |
          awk '{ line[NR] = $0 } prev == "ip" && !ip { ip = $0 } prev == "port" && !port { port = $0 }
               prev == "flags" && !f { f = $0 } { prev = $0 }
               END { if (ip != "" && port != "" && f != "" && NR > 2 && line[NR] ~ /^[0-9]+$/) print ip, port, f, line[NR - 1], line[NR] }'
      ) &
    done
    wait
  }
}

# other_masters: the address of every other Redis pod that answers, within DEGRADED_ASK_SECONDS, that it is
# a master (all asked at once). A pod that does not answer says nothing either way.
other_masters() {
  other_pod_addresses | {
    while read -r _oa; do
      [ -n "$_oa" ] || continue
      (
        REDIS_CLI_TIMEOUT=$DEGRADED_ASK_SECONDS
        redis_cli "$_oa" "$REDIS_PORT" INFO replication 2>/dev/null | tr -d '\r' | grep -qx 'role:master' && printf '%s\n' "$_oa"
      ) &
    done
    wait
  }
}

# online_count INFO: how many replicas an INFO replication lists in state online.
online_count() {
  printf '%s\n' "$1" | awk '/^slave[0-9]+:/ && /state=online/ { n++ } END { print n + 0 }'
}

# degraded_denied INFO: why this pod may not take writes without a replica (nothing when it may).
degraded_denied() {
  if ! printf '%s\n' "$1" | grep -qx 'role:master'; then
    printf 'this pod is not a master\n'
    return 0
  fi
  _on=$(online_count "$1")
  if [ "$_on" -gt 0 ]; then
    printf '%s replica(s) online\n' "$_on"
    return 0
  fi
  if [ -f "$STOPPING" ]; then
    printf 'this pod is stopping (its preStop began %s)\n' "$(cat "$STOPPING" 2>/dev/null)"
    return 0
  fi
  # The Sentinels and the other Redis pods are asked at the same time: a pod that is gone costs its
  # timeout once, not once more after the Sentinels.
  _all=$(
    degraded_answers | sed 's/^/sentinel /' &
    other_masters | sed 's/^/pod /'
    wait
  )
  _others=$(printf '%s\n' "$_all" | sed -n 's/^pod //p' | tr '\n' ' ')
  if [ -n "$_others" ]; then
    printf 'another pod reports role master: %s\n' "${_others% }"
    return 0
  fi
  _answers=$(printf '%s\n' "$_all" | sed -n 's/^sentinel //p')
  _n=$(sentinels_present)
  _clean=0
  _odd=""
  while read -r _ah _ap _af _ch _cp; do
    [ -n "$_ah" ] || continue
    if ! is_self "$_ch" || [ "$_cp" != "$REDIS_PORT" ]; then
      _odd="$_odd $_ch:$_cp"
    elif ! is_self "$_ah" || [ "$_ap" != "$REDIS_PORT" ]; then
      # A failover of another master that promoted this pod and is still reconfiguring the replicas: the
      # promotion cannot be undone any more, and the failover ends with +switch-master to this pod.
      _clean=$((_clean + 1))
    else
      case ",$_af," in
        *,o_down,* | *failover* | *promoted* | *reconf*) _odd="$_odd this-pod($_af)" ;;
        ,master,) _clean=$((_clean + 1)) ;;
      esac
    fi
  done <<EOF_ANSWERS
$_answers
EOF_ANSWERS
  if [ -n "$_odd" ]; then
    printf 'a Sentinel names another master or fails this pod over:%s\n' "$_odd"
  elif [ $((_clean * 2)) -le "$_n" ]; then
    printf 'only %s of %s Sentinels name this pod master and see it up\n' "$_clean" "$_n"
  fi
}

# swap_min_replicas TO: set min-replicas-to-write to TO in one transaction that reads the value it
# replaces; print that value (nothing when no answer came in time).
swap_min_replicas() {
  printf 'MULTI\nCONFIG GET min-replicas-to-write\nCONFIG SET min-replicas-to-write %s\nEXEC\n' "$1" |
    REDIS_CLI_TIMEOUT=$DEGRADED_ASK_SECONDS redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" 2>/dev/null | tr -d '\r' |
    awk 'prev == "min-replicas-to-write" { v = $0 } { prev = $0 } END { if (v != "" && prev == "OK") print v }'
}

# degraded_set FROM TO STARTED WHY: min-replicas-to-write FROM -> TO (see above); STARTED: when the
# look that decided it began (date +%s).
degraded_set() {
  _was=$(swap_min_replicas "$2")
  _took=$(($(date +%s) - $3))
  if [ -z "$_was" ] || [ "$_was" = "$FENCE_REPLICAS" ] || [ "$_took" -gt "$DEGRADED_STALL_SECONDS" ]; then
    log "min-replicas-to-write $1 -> $2 ($4): it was ${_was:-unknown}, the look took ${_took}s; fencing (min-replicas-to-write $FENCE_REPLICAS) until the Sentinels agree this pod is still the master"
    _q=$(redis_queue "$DEGRADED_ASK_SECONDS" "$LOCAL_REDIS_HOST" "$REDIS_PORT" CONFIG SET min-replicas-to-write "$FENCE_REPLICAS")
    [ "$_q" = OK ] || log "fence not confirmed within ${DEGRADED_ASK_SECONDS}s: ${_q:-no answer} (a stalled Redis applies it as it resumes)"
    return 0
  fi
  if [ "$2" = 0 ]; then
    log "degraded writes: $4; taking writes without a replica (min-replicas-to-write 0, WAIT cannot confirm them) until one is online"
  else
    log "degraded writes end: $4; min-replicas-to-write $2 again"
  fi
}

# degraded_once RENDERED: one look. Sets DEGRADED_CLOSE to 1 when this pod is a master without an online
# replica (the next look comes sooner), else 0.
degraded_once() {
  DEGRADED_CLOSE=0
  _start=$(date +%s)
  _cur=$(REDIS_CLI_TIMEOUT=$DEGRADED_ASK_SECONDS redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CONFIG GET min-replicas-to-write 2>/dev/null |
    tr -d '\r' | sed -n 2p)
  case "$_cur" in
    "$1" | 0) ;;
    *) return 0 ;; # the fence (fence_once lifts it), or Redis not answering
  esac
  _info=$(REDIS_CLI_TIMEOUT=$DEGRADED_ASK_SECONDS redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" INFO replication 2>/dev/null |
    tr -d '\r')
  [ -n "$_info" ] || return 0
  if printf '%s\n' "$_info" | grep -qx 'role:master' && [ "$(online_count "$_info")" -eq 0 ]; then
    DEGRADED_CLOSE=1
  fi
  _denied=$(degraded_denied "$_info")
  if [ "$_cur" = "$1" ] && [ -z "$_denied" ]; then
    degraded_set "$1" 0 "$_start" "no replica online and a Sentinel majority names this pod master"
  elif [ "$_cur" = 0 ] && [ -n "$_denied" ]; then
    degraded_set 0 "$1" "$_start" "$_denied"
  fi
}

# degraded_loop: degraded_once every second, every DEGRADED_CLOSE_SECONDS while this pod is a master without
# an online replica (a promotion's writes wait for the look that follows it), for as long as the guard
# (process GUARD_PID) runs.
degraded_loop() {
  _rendered=$(rendered_min_replicas)
  [ "$_rendered" -gt 0 ] 2>/dev/null || return 0
  # The safety of degraded writes rests on the fence coming back (about 2 s after a partition) before the
  # Sentinels on the other side can promote another pod (down-after): with a shorter down-after, never.
  _down_after=$(awk -v n="$MASTER_NAME" '$1 == "sentinel" && $2 == "down-after-milliseconds" && $3 == n { print $4 }' \
    "$CONFIG_DIR/sentinel.conf" 2>/dev/null)
  if [ -n "$_down_after" ] && [ "$_down_after" -lt "${DEGRADED_MIN_DOWN_AFTER_MILLISECONDS:-4000}" ] 2>/dev/null; then
    log "degraded writes off: down-after-milliseconds $_down_after is shorter than the ${DEGRADED_MIN_DOWN_AFTER_MILLISECONDS:-4000} ms the guard needs to put the fence back after a partition"
    return 0
  fi
  while kill -0 "$GUARD_PID" 2>/dev/null; do
    degraded_once "$_rendered" || DEGRADED_CLOSE=0
    if [ "$DEGRADED_CLOSE" = 1 ]; then
      sleep "${DEGRADED_CLOSE_SECONDS:-0.5}"
    else
      sleep 1
    fi
  done
}

if [ "${1:-}" = --once ]; then
  fence_once
  guard_once
  exit 0
fi
GUARD_PID=$$
degraded_loop &
last=$(date +%s)
while :; do
  fence_nap
  fence_once || true
  info=$(replication)
  record_role "$info" || true
  now=$(date +%s)
  if [ $((now - last)) -ge "$GUARD_INTERVAL_SECONDS" ] || link_down "$info"; then
    guard_once || true
    last=$(date +%s)
  fi
done
