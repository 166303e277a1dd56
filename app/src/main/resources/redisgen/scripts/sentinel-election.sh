# shellcheck shell=sh
# sentinel-election.sh: run by sentinel-notify.sh on +odown (Sentinel runs that script, so this one ends with it:
# Sentinel kills a script after 60 s; this one stops after ELECTION_WATCH_SECONDS, 45). It ends an election that
# stalls, so that a failover is not delayed by 2 x failover-timeout.
#
# Redis 7.0 Sentinel (sentinel.c): a Sentinel that reaches ODOWN starts a failover in a new epoch and votes for
# itself; one that was asked first votes for the asker and pushes its own failover_start_time to now. Two Sentinels
# that reach ODOWN within the same ~100 ms both vote for themselves (ODOWN needs the later one's SDOWN, so the
# staggered down-after of sentinel-start.sh does not separate them): with the master's pod gone, neither gets a
# majority. The election aborts min(10 s, failover-timeout) after its start and a Sentinel tries again only
# 2 x failover-timeout after it (20 s with 10 s; found by `redisgen drill`: airflow master-kill, no failover for
# ~40 s once in 17 rounds). A vote for a Sentinel that then dies stalls the same way. Both read failover-timeout
# when they run, so this Sentinel lowers it (SENTINEL SET) to ELECTION_RETRY_TIMEOUT_MILLISECONDS: its election
# aborts and it starts the next one at once, in a higher epoch, where the others vote for it (they have voted in
# the lower epoch only). As soon as that election has started (its epoch is in the kept sentinel.conf: Sentinel
# saves its vote at once), or after a bound, it sets the profile's failover-timeout again: the failover itself
# (promotion, replicas) runs with the profile's timeouts. A Sentinel that dies in between starts again with the
# ConfigMap's settings (sentinel-start.sh), not the lowered one.
#
# It acts only when the master has been objectively down for ELECTION_STALL_MILLISECONDS (400: an election with a
# majority ends within a tick or two of Sentinel, 50-100 ms each; a Sentinel objectively down without a failover of
# its own voted for another, whose election that vote completes) while this Sentinel is neither elected nor led by
# another, and only if no other Sentinel that answers (asked at the same time, 1 s each) leads a failover (state
# past wait_start), names another master, or has seen the master objectively down for longer (see defer): that one
# acts, and only one acts, else two retrying at once could split again. A Sentinel in a minority cannot be elected
# however often it tries: the majority rule of the vote is untouched, this only brings a retry forward. Each further
# retry waits twice as long as the one before. Always exits 0.
set -u
LOG_TAG=sentinel-election
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

stall_ms=${ELECTION_STALL_MILLISECONDS:-400}
retry_ms=${ELECTION_RETRY_TIMEOUT_MILLISECONDS:-500}
deadline=$(($(date +%s) + ${ELECTION_WATCH_SECONDS:-45}))
me=$(ordinal)
profile_timeout=$(sentinel_setting "$CONFIG_DIR/sentinel.conf" failover-timeout)

# master_view HOST PORT: "ip port flags failover-state o-down-ms" of MASTER_NAME as the Sentinel at HOST:PORT sees it.
master_view() {
  sentinel_master_fields "$1" "$2" ip port flags failover-state o-down-time
}

# kept_epoch: the current epoch in this Sentinel's own sentinel.conf (it saves it with every vote).
kept_epoch() {
  awk '$1 == "sentinel" && $2 == "current-epoch" { e = $3 } END { print e + 0 }' "$SENTINEL_DIR/sentinel.conf" 2>/dev/null || printf '0\n'
}

# defer IP PORT ODOWN_MS: prints why another Sentinel is the one to act (nothing: this one acts). Of the Sentinels that
# see the master objectively down, the one that has seen it longest acts (at its own ELECTION_STALL_MILLISECONDS,
# before the others), the lower ordinal when two reached it within 100 ms of each other. Preferring the lower ordinal
# outright cost up to 1 s: a Sentinel reaches the quorum at once when its own down state completes it, an earlier
# one only at its next once-a-second ask (found by `redisgen drill`, split-vote: 8.2 s). This Sentinel's own o-down time
# is read in the same batch as the others' (ODOWN_MS only when it does not answer): read before, every other one looked
# down longer by the time the asks took, and with TLS handshakes two Sentinels each left the retry to the other
# (568 against 453 ms, 569 against 528 ms) until one's fallback acted 6.9 s in (redisgen drill, TLS and ACL users).
defer() {
  ask_sentinels 1 master_view | awk -v me="$me" -v ip="$1" -v port="$2" -v od="$3" '
    NF < 6 { next }
    { n++; idx[n] = $1; mip[n] = $2; mport[n] = $3; fl[n] = $4; st[n] = $5; odm[n] = $6 }
    $1 == me { od = $6 }
    END {
      for (k = 1; k <= n; k++) {
        if (idx[k] == me) continue
        if (mip[k] != ip || mport[k] != port) { print "Sentinel " idx[k] " names " mip[k] ":" mport[k]; exit }
        if (st[k] != "none" && st[k] != "wait_start") { print "Sentinel " idx[k] " leads the failover (" st[k] ")"; exit }
        if (fl[k] ~ /o_down/ && (odm[k] + 0 > od + 100 || (odm[k] + 0 >= od - 100 && idx[k] + 0 < me + 0))) {
          print "Sentinel " idx[k] " has seen it objectively down for " odm[k] " ms (this one " od ")"; exit
        }
      }
    }'
}

restore() {
  if sentinel_set failover-timeout "$profile_timeout"; then
    log "failover-timeout $profile_timeout again ($1)"
  else
    log "could not set failover-timeout $profile_timeout again ($1); the next Sentinel start does"
  fi
}

# retry ODOWN_MS: lower failover-timeout until the next election has started, then set it back.
retry() {
  _before=$(kept_epoch)
  trap 'restore stopped; exit 0' TERM INT HUP
  if ! sentinel_set failover-timeout "$retry_ms"; then
    trap - TERM INT HUP
    log "could not lower failover-timeout; Sentinel retries after 2 x $profile_timeout ms"
    return 0
  fi
  log "the master has been objectively down for $1 ms and no Sentinel is elected (epoch $_before): failover-timeout $retry_ms ms until this Sentinel's next election starts"
  _k=0
  _why="no new election within $(((2 * retry_ms + 1500) / 1000)) s"
  while [ "$_k" -lt $(((2 * retry_ms + 1500) / 100)) ]; do
    sleep 0.1
    _k=$((_k + 1))
    _e=$(kept_epoch)
    if [ "$_e" -gt "$_before" ]; then
      _why="election of epoch $_e started"
      break
    fi
    _rv=$(master_view "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT") || continue
    case "$_rv" in
      *" none "* | *" wait_start "*) ;;
      *)
        _why="failover under way"
        break
        ;;
    esac
    case "$_rv" in
      *o_down*) ;;
      *)
        _why="the master is no longer objectively down"
        break
        ;;
    esac
  done
  restore "$_why"
  trap - TERM INT HUP
}

# next_ms: how long the master has to be objectively down (Sentinel's o-down-time) before this looks again.
next_ms=$stall_ms
backoff_ms=$((2 * stall_ms))
deferred=""
while [ "$(date +%s)" -lt "$deadline" ]; do
  sleep 0.1
  view=$(master_view "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT") || continue
  set -f
  # shellcheck disable=SC2086 # split the view into its words on purpose
  set -- $view
  set +f
  case "$3" in
    *o_down*) ;;
    *) exit 0 ;;
  esac
  case "$4" in
    none | wait_start) ;;
    *)
      # This Sentinel leads the failover: its own timeouts apply.
      next_ms=$(($5 + stall_ms))
      continue
      ;;
  esac
  [ "$5" -ge "$next_ms" ] || continue
  why=$(defer "$1" "$2" "$5")
  if [ -n "$why" ]; then
    [ "$why" = "$deferred" ] || log "the election stalls; $why: leaving the retry to it"
    deferred=$why
    next_ms=$(($5 + 500))
    continue
  fi
  retry "$5"
  next_ms=$(($5 + backoff_ms))
  backoff_ms=$((backoff_ms * 2))
done
exit 0
