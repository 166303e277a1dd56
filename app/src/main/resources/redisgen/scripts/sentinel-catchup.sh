# shellcheck shell=sh
# sentinel-catchup.sh: started in the background by sentinel-start.sh (SENTINEL_CATCHUP_ENABLED=false leaves it
# out). A Sentinel counts down-after from its own start. One that restarts just after the master died (a node that
# dies takes the master's pod, and another pod restarts: co-located, its Sentinel restarts with it) sees the master
# down only down-after after its own start, and with 3 Sentinels its vote is the one the failover needs: the failover
# waited up to down-after past the moment the other Sentinel saw the master down (found by `redisgen drill`,
# dead-master-dns: 8.3 s median with down-after 5 s, against 5 s + the election).
#
# For its first SENTINEL_CATCHUP_SECONDS (default 2 x down-after + 10 s) this script asks the other Sentinels every
# half second, as long as the master has not answered this Sentinel. Once another Sentinel that names the same master
# sees it down (s_down: it had no answer for its whole down-after), and this Sentinel itself has had no answer for
# longer than the value it would set, it lowers its own down-after (SENTINEL SET) to that value: the master is then
# down here at once, the quorum is complete and the vote comes. The value is SENTINEL_CATCHUP_MIN_MILLISECONDS (1000)
# or a fifth of the time the other Sentinel has had no answer, whichever is more: Sentinel's leader skips a replica
# whose link to the master has been down longer than 10 x down-after + the time since it saw the master down, and
# that link went down with the master.
#
# It does nothing while the other Sentinels that saw the master go before this one started are as many as the quorum
# (5 pods, quorum 3, one Sentinel gone with the master's pod): they complete the quorum without it (see below).
#
# What it does not change: the decision is still the quorum's, and at least one Sentinel of it watched the master
# for its whole down-after, so no promotion comes sooner after a fault than before (split-brain-guard.sh's degraded
# writes rely on that); a Sentinel that has just started with a master that answers (no fault) exits after two looks.
# It sets the down-after sentinel-start.sh gave this Sentinel again as soon as the failover names another master, the
# master answers again, or after SENTINEL_CATCHUP_SECONDS more. A Sentinel that restarts in between takes the
# ConfigMap's settings (sentinel-start.sh), never the lowered one. Once done it sleeps until its parent, the Sentinel
# the start script became, is gone: Sentinel reaps any child that ends and logs a warning for one that is not its own
# notification script ("waitpid() returned a pid ... we can't find in our scripts execution queue", at every start).
# Always exits 0.
set -u
LOG_TAG=sentinel-catchup
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

parent=$PPID
# finish: nothing more to do; stay (asleep) while the Sentinel runs, then exit 0.
finish() {
  trap - TERM INT HUP
  while kill -0 "$parent" 2>/dev/null; do
    sleep 60
  done
  exit 0
}

min_ms=${SENTINEL_CATCHUP_MIN_MILLISECONDS:-1000}
own=$(sentinel_down_after)
[ -n "$own" ] || finish
watch_s=${SENTINEL_CATCHUP_SECONDS:-$((2 * own / 1000 + 10))}
deadline=$(($(date +%s) + watch_s))
me=$(ordinal)

# own_view: "host port flags last-ok-ping-reply down-after quorum" of MASTER_NAME as this Sentinel sees it.
own_view() {
  sentinel_master_fields "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" ip port flags last-ok-ping-reply down-after-milliseconds quorum
}

# down_for HOST PORT MS: "N MAX" from the other Sentinels that name HOST:PORT their master: N of them have had no answer
# from it for longer than MS (this Sentinel's own time without one), and MAX is the longest time one that sees it down
# (s_down) has had no answer: its s-down-time + its down-after (0 when none does). Asked at the same time, 1 s each.
down_for() {
  ask_sentinels 1 sentinel_master_fields ip port flags s-down-time down-after-milliseconds last-ok-ping-reply |
    awk -v me="$me" -v ip="$1" -v port="$2" -v mine="$3" '
      $1 != me && $2 == ip && $3 == port {
        if ($7 + 0 > mine + 0) n++
        if ($4 ~ /s_down/ && $5 + $6 > m) m = $5 + $6
      }
      END { print n + 0, m + 0 }'
}

restore() {
  if sentinel_set down-after-milliseconds "$own"; then
    log "down-after-milliseconds $own again ($1)"
  else
    log "could not set down-after-milliseconds $own again ($1); the next Sentinel start does"
  fi
}

watched=""
left=""
looks=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  sleep 0.5
  looks=$((looks + 1))
  view=$(own_view) || continue
  set -f
  # shellcheck disable=SC2086 # split the view into its words on purpose
  set -- $view
  set +f
  if [ -n "$watched" ]; then
    if [ "$1 $2" != "$watched" ]; then
      restore "the Sentinels name $1:$2 now"
      finish
    fi
    if [ "$4" -lt "$min_ms" ]; then
      restore "$1:$2 answers again"
      finish
    fi
    continue
  fi
  case "$3" in
    *s_down*) finish ;; # its own down-after ran out: nothing to catch up
  esac
  # The master answered within the last min_ms, and this Sentinel's link is older than that: the master is up.
  if [ "$4" -lt "$min_ms" ] && [ "$looks" -ge $((2 * min_ms / 500)) ]; then
    finish
  fi
  [ "$4" -gt "$min_ms" ] || continue
  peers=$(down_for "$1" "$2" "$4")
  ahead=${peers% *}
  others=${peers#* }
  [ "$others" -gt 0 ] || continue
  # The Sentinels that saw the master go before this one started are enough for the quorum: they report it down at
  # their own (staggered) times, and this one's vote comes without its report. Its report would only come at the
  # moment the last of them completes the quorum and make it start an election of its own in the same epoch: a split
  # vote (found by `redisgen drill`, dead-master-dns on 5 Redis pods with co-located Sentinels, quorum 3: the lowered
  # Sentinel and the fourth reached o_down 8 ms apart, 2 votes each, the failover 10.1 s after the fault).
  if [ "$ahead" -ge "$6" ]; then
    [ -n "$left" ] || log "$ahead other Sentinels have watched $1:$2 longer than this one, quorum $6: leaving the quorum to them"
    left=1
    continue
  fi
  lowered=$((others / 5))
  [ "$lowered" -ge "$min_ms" ] || lowered=$min_ms
  # Only a value this Sentinel has already waited out (and below what it runs with) makes the master down here now.
  if [ "$lowered" -ge "$5" ] || [ "$lowered" -gt $(($4 - 100)) ]; then
    continue
  fi
  if sentinel_set down-after-milliseconds "$lowered"; then
    watched="$1 $2"
    deadline=$(($(date +%s) + watch_s))
    trap 'restore stopped; exit 0' TERM INT HUP
    log "another Sentinel has had no answer from $1:$2 for $others ms, this one for $4 ms since its start: down-after-milliseconds $lowered until the failover"
  fi
done
[ -z "$watched" ] || restore "no failover within $watch_s s"
finish
