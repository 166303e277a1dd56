# shellcheck shell=sh
# split-brain-guard.sh: runs in the background of the Redis container. Every
# GUARD_INTERVAL_SECONDS it checks that a pod reporting role:master is the
# master a Sentinel majority names; if not, and the named pod really is master
# and no failover is in progress, it makes this pod a replica of it (an old
# master that came back after a partition). It never acts on a pod the
# Sentinels name master, on disagreeing or unreachable Sentinels, or during a
# failover; and before it acts it looks again after GUARD_CONFIRM_SECONDS (more
# than a Sentinel hello period), so a freshly promoted master whose Sentinels
# have not all heard of the promotion yet is not demoted. It also records the
# master it sees for the next start.
set -u
LOG_TAG=split-brain-guard
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
GUARD_INTERVAL_SECONDS="${GUARD_INTERVAL_SECONDS:-10}"
GUARD_CONFIRM_SECONDS="${GUARD_CONFIRM_SECONDS:-5}"

# guard_check: print "HOST PORT VOTES SENTINELS" of the master this pod (role
# master) must rejoin, or nothing; logs why it does not act.
guard_check() {
  role=$(redis_role "$LOCAL_REDIS_HOST" "$REDIS_PORT") || return 0
  if [ "$role" != master ]; then
    mh=$(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication master_host)
    mp=$(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication master_port)
    if [ -n "$mh" ] && [ -n "$mp" ]; then
      record_master "$mh" "$mp"
    fi
    return 0
  fi
  answers=$(sentinel_answers)
  n=$(sentinel_count)
  if [ -z "$answers" ]; then
    log "master here, but no Sentinel answered (0 of $n); not acting"
    return 0
  fi
  best=$(printf '%s\n' "$answers" | choose_master)
  bh=$(printf '%s\n' "$best" | awk '{ print $1 }')
  bp=$(printf '%s\n' "$best" | awk '{ print $2 }')
  votes=$(printf '%s\n' "$best" | awk '{ print $3 }')
  if is_self "$bh"; then
    record_master "$(self_address)" "$REDIS_PORT"
    return 0
  fi
  if [ $((votes * 2)) -le "$n" ]; then
    log "master here, but only $votes of $n Sentinels name $bh:$bp; not acting"
    return 0
  fi
  if [ "$(printf '%s\n' "$answers" | awk '{ print $1, $2 }' | sort -u | awk 'END { print NR }')" -ne 1 ]; then
    log "master here, Sentinels disagree; not acting"
    return 0
  fi
  if printf '%s\n' "$answers" | grep -q -e failover_in_progress -e promoted; then
    log "failover in progress; not acting"
    return 0
  fi
  other=$(redis_role "$bh" "$bp" || echo unreachable)
  if [ "$other" != master ]; then
    log "Sentinels name $bh:$bp, which reports role '$other'; waiting for it"
    return 0
  fi
  printf '%s %s %s %s\n' "$bh" "$bp" "$votes" "$n"
}

guard_once() {
  first=$(guard_check)
  [ -n "$first" ] || return 0
  log "split brain suspected: this pod is master but $(printf '%s\n' "$first" | awk '{ print $3 " of " $4 " Sentinels name " $1 ":" $2 }'), which is master; confirming in ${GUARD_CONFIRM_SECONDS}s"
  sleep "$GUARD_CONFIRM_SECONDS"
  again=$(guard_check)
  if [ -z "$again" ]; then
    log "split brain not confirmed; not acting"
    return 0
  fi
  bh=$(printf '%s\n' "$again" | awk '{ print $1 }')
  bp=$(printf '%s\n' "$again" | awk '{ print $2 }')
  if [ "$bh $bp" != "$(printf '%s\n' "$first" | awk '{ print $1, $2 }')" ]; then
    log "split brain: the Sentinels' master changed while confirming; not acting"
    return 0
  fi
  log "split brain: this pod is master but $(printf '%s\n' "$again" | awk '{ print $3 " of " $4 }') Sentinels name $bh:$bp, which is master; REPLICAOF $bh $bp"
  if out=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" REPLICAOF "$bh" "$bp" 2>&1); then
    record_master "$bh" "$bp"
  else
    log "REPLICAOF failed: $out"
  fi
}

if [ "${1:-}" = --once ]; then
  guard_once
  exit 0
fi
while :; do
  sleep "$GUARD_INTERVAL_SECONDS"
  guard_once || true
done
