#!/bin/sh
# shellcheck shell=sh
# sentinel-notify.sh: the Sentinel's notification-script (sentinel-start.sh sets
# it; Sentinel execs it, hence the #! line). Sentinel runs it with EVENT and
# DESCRIPTION for every warning-level event; this script acts on six. Two
# are for a master that may only be frozen (SIGSTOP, a paused VM, a stuck disk) and
# resume after a replica was promoted, with replicas still attached and
# clients still connected to it (common.sh "write fence"):
#   +sdown master MASTER_NAME HOST PORT
#     This Sentinel has seen the master down for down-after. It fences it:
#     CONFIG SET min-replicas-to-write FENCE_REPLICAS, sent with its AUTH in
#     one write, which a frozen master applies as it resumes (this script waits
#     up to 55 s for the answer; the fence lands even when it stops waiting), so
#     that it refuses writes until its guard lifts the fence (the Sentinels agree it is
#     still the master, or it is a replica). A write a client had sent before
#     is answered first; the next event keeps such a write from being confirmed.
#   +selected-slave slave NAME HOST PORT @ MASTER_NAME MHOST MPORT
#     Only the failover's leader logs it, just before it promotes HOST. Every
#     other replica it knows is pointed at HOST at once, instead of one at a
#     time after the promotion (parallel-syncs): a resuming old master then
#     finds no replica attached, and nothing it acknowledges can be confirmed
#     by WAIT (found by `redisgen drill`, scenario freeze with 5 pods). The
#     replicas sync as soon as HOST is master; the leader's own REPLICAOF to
#     them later changes nothing. HOST itself drops a write fence it still
#     holds (see unfence).
#   +monitor master MASTER_NAME HOST PORT quorum Q
#     Logged at every Sentinel start. Sentinel asks each replica for INFO
#     every 10 s (every second only once the master is objectively down or
#     the replica reports its link down), and the leader chooses whom to
#     promote from those answers, leaving out a replica whose answer is older
#     than 5 s. A frozen master keeps its replicas' links up: the leader then
#     promoted the replica 43 KB behind the other, which had to full-resync
#     (found by `redisgen drill`, gateway-ha pod-freeze: 38 s without writes; a
#     write WAIT had confirmed on the other replica alone would have been
#     lost). This sets SENTINEL DEBUG info-period to
#     SENTINEL_INFO_PERIOD_MILLISECONDS (1000): every answer at most 1 s old.
#     And two periods a failover waits on: ping-period
#     SENTINEL_PING_PERIOD_MILLISECONDS (250; Sentinel's 1000): down-after
#     counts from the first PING left unanswered, which went out up to a
#     period after the master stopped; publish-period
#     SENTINEL_PUBLISH_PERIOD_MILLISECONDS (500; Sentinel's 2000): the hello
#     that tells the other Sentinels of a promotion, when the one the leader
#     sends at once is lost (the reply to a regular hello still in flight
#     cancels it in Redis 7.0; seen by `redisgen drill`: 2.02 s late).
#     Sentinel keeps them only while it runs, hence at every start; here, not
#     in sentinel-start.sh, because a process Sentinel did not start itself
#     is reaped by it with a warning.
#   +sdown slave NAME HOST PORT @ MASTER_NAME ... / +sdown sentinel RUNID HOST PORT @ MASTER_NAME ...
#     A replica or Sentinel down for down-after. When it is a pod a scale-in
#     removed (common.sh scaled_away), Sentinel would count it forever: a gone
#     Sentinel in the majority every failover needs, a gone replica s_down in
#     every answer (a Sentinel restarted in the roll forgets it, but one that
#     learnt it again from the pod while it terminated does not). Once its name
#     no longer resolves (the pod is gone, within 40 s), this Sentinel sends
#     itself SENTINEL RESET MASTER_NAME (not during a failover), ordinal x 3 s
#     after the first: the Sentinels reset one at a time and learn the
#     replicas (the master's INFO) and the other Sentinels (hellos) again
#     within about 2 s each. Only while this Sentinel has its master up, no
#     failover under way and no old master still answering as one
#     (settled_here), waiting for it within Sentinel's 60 s for a script.
#     Proven by DrillTest.upgradeRollsToTheNextProfileAndBack.
#   +switch-master MASTER_NAME ... / -sdown master MASTER_NAME HOST PORT
#     The master answers again (a new one, or the same), and a failover has
#     ended: a reset the event above left for later is done now, in the same
#     order.
#   +odown master MASTER_NAME HOST PORT #quorum Q/N
#     This Sentinel sees the master objectively down: it becomes
#     sentinel-election.sh, which ends an election that stalls (a split vote,
#     or a vote for a Sentinel that died) within about a second instead of
#     2 x failover-timeout. ELECTION_WATCH_ENABLED=false leaves it out.
# Always exits 0 (Sentinel retries a script that exits 1); Sentinel kills a
# script after 60 s.
set -u
LOG_TAG=sentinel-notify
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

event=${1:-}
set -f
# shellcheck disable=SC2086 # split the description into words on purpose
set -- ${2:-}
set +f

# fence HOST PORT
fence() {
  log "master $1:$2 is down for this Sentinel: fencing it (min-replicas-to-write $FENCE_REPLICAS) in case it is only frozen"
  # A frozen master answers only when it resumes; AUTH and CONFIG SET are queued
  # in its socket together, so it applies the fence as it resumes, however long
  # it was stopped, even once this script has given up waiting.
  out=$(redis_queue "${FENCE_WAIT_SECONDS:-55}" "$1" "$2" CONFIG SET min-replicas-to-write "$FENCE_REPLICAS")
  case "$out" in
    OK) log "fenced $1:$2" ;;
    *) log "fence not confirmed by $1:$2 within ${FENCE_WAIT_SECONDS:-55} s: ${out:-no answer} (a master that is gone needs none; a frozen one applies it as it resumes)" ;;
  esac
}

# repoint HOST PORT: every other replica this Sentinel knows follows HOST:PORT, all at once.
repoint() {
  sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" SENTINEL REPLICAS "$MASTER_NAME" 2>/dev/null | tr -d '\r' |
    awk 'prev == "ip" { ip = $0 } prev == "port" { print ip, $0 } { prev = $0 }' | {
    while read -r rh rp; do
      if [ "$rh" = "$1" ] && [ "$rp" = "$2" ]; then
        continue
      fi
      (
        out=$(REDIS_CLI_TIMEOUT=2 redis_cli "$rh" "$rp" REPLICAOF "$1" "$2" 2>&1)
        log "failover to $1:$2 selected: REPLICAOF sent to $rh:$rp: ${out:-no answer}"
      ) &
    done
    wait
  }
}

# unfence HOST PORT: the replica the leader promotes drops a write fence it still holds from when it was a
# master the Sentinels saw down (healed from a partition, resumed from a freeze, then made a replica). A
# replica takes no writes, and split-brain-guard.sh lifts such a fence from one within about a second (it
# used to wait behind a split brain it was confirming, GUARD_CONFIRM_SECONDS); a replica promoted before
# that became a fenced master, which refuses every write until its guard lifts the fence, and the guard
# waits while any other pod reports role master, as the old master does all through its preStop hand-over
# (found by `redisgen drill`, gateway-ha rolling-update right after partition: the healed old master was
# promoted 4 s after it became a replica, still fenced: 18.8 s without writes). Only the fence value is
# replaced, by the rendered one (the ConfigMap's redis.conf, mounted in the Sentinel container too): any
# other min-replicas-to-write (degraded writes' 0) is left alone.
unfence() {
  _uf=$(REDIS_CLI_TIMEOUT=2 redis_cli "$1" "$2" CONFIG GET min-replicas-to-write 2>/dev/null | tr -d '\r' | sed -n 2p)
  [ "$_uf" = "$FENCE_REPLICAS" ] || return 0
  # The rendered value comes from the ConfigMap both containers mount; without it, 0 would mean no fence at all.
  if [ ! -r "$CONFIG_DIR/redis.conf" ]; then
    log "failover to $1:$2 selected: it still holds the write fence, and $CONFIG_DIR/redis.conf is not there to restore from"
    return 0
  fi
  _ur=$(rendered_min_replicas)
  out=$(REDIS_CLI_TIMEOUT=2 redis_cli "$1" "$2" CONFIG SET min-replicas-to-write "$_ur" 2>&1)
  log "failover to $1:$2 selected: it still held the write fence; min-replicas-to-write $_ur: ${out:-no answer}"
}

# tune_periods: SENTINEL DEBUG info-period, ping-period and publish-period on this pod's Sentinel, which may still be
# starting.
tune_periods() {
  _tp_info=${SENTINEL_INFO_PERIOD_MILLISECONDS:-1000}
  _tp_ping=${SENTINEL_PING_PERIOD_MILLISECONDS:-250}
  _tp_pub=${SENTINEL_PUBLISH_PERIOD_MILLISECONDS:-500}
  tries=0
  while [ "$tries" -lt 20 ]; do
    if [ "$(sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" SENTINEL DEBUG info-period "$_tp_info" \
      ping-period "$_tp_ping" publish-period "$_tp_pub" 2>/dev/null | tr -d '\r')" = OK ]; then
      log "replica INFO refreshed every $_tp_info ms, PING every $_tp_ping ms, hello every $_tp_pub ms (SENTINEL DEBUG)"
      return 0
    fi
    tries=$((tries + 1))
    sleep 0.5
  done
  log "could not set SENTINEL DEBUG info-period $_tp_info ping-period $_tp_ping publish-period $_tp_pub: the leader may choose a replica from INFO up to 10 s old, and a failover may wait up to 1 s for a PING and 2 s for a hello"
}

# known_scaled_away: the hosts this Sentinel still knows (replicas and Sentinels of MASTER_NAME) that are pods a
# scale-in removed, space-separated (empty when none).
known_scaled_away() {
  {
    sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" SENTINEL REPLICAS "$MASTER_NAME"
    sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" SENTINEL SENTINELS "$MASTER_NAME"
  } 2>/dev/null | tr -d '\r' | awk 'prev == "ip" { print } { prev = $0 }' | while read -r _ks_h; do
    if scaled_away "$_ks_h"; then printf '%s ' "$_ks_h"; fi
  done
}

# settled_here: this Sentinel has its master up (flags exactly "master": not s_down, o_down, disconnected, nor in a
# failover), the master reports role master, and no replica it reaches does. SENTINEL RESET keeps only the master's
# address and config epoch, and ends a failover this Sentinel leads where it stands:
#   - reset while it leads a failover (reconf_slaves: the replica promoted, the others being pointed at it), it
#     keeps the failover's new epoch with the old master's address, and ignores the hellos that name the new
#     master, which carry the same epoch: it named the old master for good (a CI run of
#     DrillTest.upgradeRollsToTheNextProfileAndBack, airflow 5 -> 3 pods: one Sentinel named the old master for
#     3 minutes; the reset used to wait at most 5 s for a failover to end; reproduced with redis-sentinel 7.0.15
#     and in ScaleInResetLiveTest);
#   - reset while its master is down, it knows no instance that answers: the replicas come back from the master's
#     INFO and the other Sentinels from the hellos of the instances it knows, so with a master that never returns
#     (a pod the scale-in removed) it hears nobody again.
#   - reset just after a failover, while the old master still runs as one (a forced failover, a master that
#     resumes), it forgets that one, which it knew only as a replica record since +switch-master, and never turns
#     it into a replica (+convert-to-slave comes 8 s after the switch): so also no replica it reaches may report
#     role master.
settled_here() {
  sentinel_master_fields "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" flags role-reported | awk '$1 == "master" && $2 == "master" { f = 1 } END { exit !f }' || return 1
  sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" SENTINEL REPLICAS "$MASTER_NAME" 2>/dev/null | tr -d '\r' |
    awk 'prev == "flags" { f = $0 } prev == "role-reported" && $0 == "master" && f !~ /s_down|disconnected/ { bad = 1 } { prev = $0 } END { exit bad }'
}

# reset_scaled_away UNTIL WHY: SENTINEL RESET MASTER_NAME once settled_here, waiting for it until UNTIL (epoch
# seconds), when this Sentinel still knows a pod a scale-in removed whose name no longer resolves. Otherwise it leaves
# the reset to the next +switch-master or -sdown of the master (the events after which the master answers again),
# and says so.
reset_scaled_away() {
  while ! settled_here; do
    if [ "$(date +%s)" -ge "$1" ]; then
      log "not resetting ($2): for this Sentinel the master is down, a failover is under way, or an old master still answers as one (a reset now would end the failover where it stands, leave it knowing no instance that answers, or forget that old master); the next +switch-master or -sdown of the master resets it"
      return 0
    fi
    sleep 1
  done
  # Still known? (another event's reset may have done it already; a name that resolves again is a pod that is back)
  _fs_known=""
  for _fs_h in $(known_scaled_away); do
    resolve "${_fs_h%.}" >/dev/null 2>&1 || _fs_known="$_fs_known$_fs_h "
  done
  [ -n "$_fs_known" ] || return 0
  out=$(sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" SENTINEL RESET "$MASTER_NAME" 2>&1 | tr -d '\r')
  log "forgetting pods the scale-in removed ($_fs_known): SENTINEL RESET $MASTER_NAME: ${out:-no answer}"
}

# take_reset_lock: one reset for every instance gone at once. A lock left by a run Sentinel killed (it kills a
# script after 60 s) is stale after 90 s.
take_reset_lock() {
  _fs_lock="$SENTINEL_DIR/.reset-$MASTER_NAME"
  if ! mkdir "$_fs_lock" 2>/dev/null; then
    _fs_at=$(cat "$_fs_lock/at" 2>/dev/null || echo 0)
    [ "$(($(date +%s) - ${_fs_at:-0}))" -gt 90 ] 2>/dev/null || return 1
    rm -rf "$_fs_lock"
    mkdir "$_fs_lock" 2>/dev/null || return 1
  fi
  date +%s >"$_fs_lock/at"
}

# reset_in_turn UNTIL WHY: reset_scaled_away under the lock, the Sentinels one at a time (ordinal x 3 s apart).
reset_in_turn() {
  take_reset_lock || return 0
  sleep $(($(ordinal) * 3))
  reset_scaled_away "$1" "$2"
  rm -rf "$_fs_lock"
}

# forget_scaled_away HOST: SENTINEL RESET of this Sentinel once HOST, a pod a scale-in removed, is gone (see above).
forget_scaled_away() {
  scaled_away "$1" || return 0
  _fs_start=$(date +%s)
  _fs_deadline=$((_fs_start + 40))
  while resolve "${1%.}" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$_fs_deadline" ]; then
      log "$1 (a pod the scale-in removed) still resolves after 40 s; not resetting"
      return 0
    fi
    sleep 1
  done
  # Within Sentinel's 60 s for a script (SENTINEL_RESET_WAIT_SECONDS: tests only).
  reset_in_turn $((_fs_start + ${SENTINEL_RESET_WAIT_SECONDS:-52})) "+sdown $1"
}

# forget_scaled_away_later WHY: the reset forget_scaled_away left for when the master answers again (a master
# that has just switched answers within a second or two).
forget_scaled_away_later() {
  [ -n "$(known_scaled_away)" ] || return 0
  reset_in_turn $(($(date +%s) + 40)) "$1"
}

case "$event" in
  +monitor)
    if [ "${1:-}" = master ] && [ "${2:-}" = "$MASTER_NAME" ]; then
      tune_periods
    fi
    ;;
  +switch-master)
    if [ "${1:-}" = "$MASTER_NAME" ]; then
      forget_scaled_away_later "+switch-master"
    fi
    ;;
  -sdown)
    if [ "${1:-}" = master ] && [ "${2:-}" = "$MASTER_NAME" ]; then
      forget_scaled_away_later "-sdown of the master"
    fi
    ;;
  +sdown)
    if [ "${1:-}" = master ] && [ "${2:-}" = "$MASTER_NAME" ] && [ "$#" -ge 4 ]; then
      fence "$3" "$4"
    elif { [ "${1:-}" = slave ] || [ "${1:-}" = sentinel ]; } && [ "$#" -ge 6 ] && [ "$5" = @ ] && [ "$6" = "$MASTER_NAME" ]; then
      forget_scaled_away "$3"
    fi
    ;;
  +odown)
    if [ "${1:-}" = master ] && [ "${2:-}" = "$MASTER_NAME" ] && [ "${ELECTION_WATCH_ENABLED:-true}" = true ]; then
      exec sh "$SCRIPTS_DIR/sentinel-election.sh"
    fi
    ;;
  +selected-slave)
    if [ "${1:-}" = slave ] && [ "$#" -ge 6 ] && [ "$5" = @ ] && [ "$6" = "$MASTER_NAME" ]; then
      case "$4" in
        "" | *[!0-9]*) ;;
        *)
          unfence "$3" "$4" &
          repoint "$3" "$4"
          wait
          ;;
      esac
    fi
    ;;
esac
exit 0
