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
# link to its master is down or the fence is up.
set -u
LOG_TAG=split-brain-guard
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
GUARD_INTERVAL_SECONDS="${GUARD_INTERVAL_SECONDS:-10}"
GUARD_CONFIRM_SECONDS="${GUARD_CONFIRM_SECONDS:-5}"
FENCE_CONFIRM_SECONDS="${FENCE_CONFIRM_SECONDS:-1}"

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
  n=$(sentinel_count)
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
  sleep "$confirm"
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
  n=$(sentinel_count)
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

# fence_once: a replica drops the fence at once (it takes no writes, and must not keep it into a later
# promotion); a master only when the Sentinels agree it is the master, twice FENCE_CONFIRM_SECONDS apart:
# a failover's leader may be promoting a replica while the others have not heard of it yet.
fence_once() {
  fenced || return 0
  role=$(redis_role "$LOCAL_REDIS_HOST" "$REDIS_PORT") || return 0
  if [ "$role" != master ]; then
    lift_fence "this pod is a replica"
    return 0
  fi
  still_the_master || return 0
  sleep "$FENCE_CONFIRM_SECONDS"
  fenced || return 0
  [ "$(redis_role "$LOCAL_REDIS_HOST" "$REDIS_PORT" || echo unknown)" = master ] || return 0
  still_the_master || return 0
  lift_fence "the Sentinels agree this pod is still the master"
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

if [ "${1:-}" = --once ]; then
  fence_once
  guard_once
  exit 0
fi
last=$(date +%s)
while :; do
  sleep 1
  fence_once || true
  info=$(replication)
  record_role "$info" || true
  now=$(date +%s)
  if [ $((now - last)) -ge "$GUARD_INTERVAL_SECONDS" ] || link_down "$info"; then
    guard_once || true
    last=$(date +%s)
  fi
done
