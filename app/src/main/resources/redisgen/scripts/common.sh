# shellcheck shell=sh
# common.sh: sourced by every redisgen pod script (never executed on its own).
# Paths, addresses and logging, DNS waits, redis-cli wrappers and the master
# decision. Every path and address comes from an env var whose default is the
# pod contract (CONTRACT.md), so tests and `redisgen drill` can point the very
# same bytes at temp dirs and loopback addresses.
# POSIX sh: runs under dash (Debian images) and busybox sh (alpine images).

DATA_DIR="${DATA_DIR:-/data}"
CONFIG_DIR="${CONFIG_DIR:-/config}"
RUN_DIR="${RUN_DIR:-/run/redis}"
SCRIPTS_DIR="${SCRIPTS_DIR:-/scripts}"
SENTINEL_DIR="${SENTINEL_DIR:-$DATA_DIR/sentinel}"
STATE_DIR="${STATE_DIR:-$DATA_DIR/.redisgen}"
CLUSTER_DOMAIN="${CLUSTER_DOMAIN:-cluster.local}"
POD_NAMESPACE="${POD_NAMESPACE:-default}"
REDIS_PORT="${REDIS_PORT:-6379}"
SENTINEL_PORT="${SENTINEL_PORT:-26379}"
MASTER_NAME="${MASTER_NAME:-mymaster}"
ADDRESS_MODE="${ADDRESS_MODE:-hostname}"
DNS_WAIT_SECONDS="${DNS_WAIT_SECONDS:-120}"
REDIS_CLI_TIMEOUT="${REDIS_CLI_TIMEOUT:-3}"
LOCAL_REDIS_HOST="${LOCAL_REDIS_HOST:-127.0.0.1}"
LOCAL_SENTINEL_HOST="${LOCAL_SENTINEL_HOST:-127.0.0.1}"
if [ -z "${POD_NAME:-}" ]; then
  POD_NAME="$(hostname)"
fi
STATEFULSET="${STATEFULSET:-${POD_NAME%-*}}"
REPLICAS="${REPLICAS:-1}"
SENTINELS="${SENTINELS:-0}"
SENTINEL_STATEFULSET="${SENTINEL_STATEFULSET:-$STATEFULSET}"
SENTINEL_HEADLESS_SERVICE="${SENTINEL_HEADLESS_SERVICE:-${HEADLESS_SERVICE:-}}"

# ---------------------------------------------------------------- logging

# log MESSAGE...: one line on stderr, so stdout stays free for results.
log() {
  printf '%s %s[%s]: %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "${LOG_TAG:-redisgen}" "$POD_NAME" "$*" >&2
}

# ---------------------------------------------------------------- names

# fqdn POD [SERVICE]: the stable DNS name of a StatefulSet pod.
fqdn() {
  printf '%s.%s.%s.svc.%s\n' "$1" "${2:-$HEADLESS_SERVICE}" "$POD_NAMESPACE" "$CLUSTER_DOMAIN"
}

# ordinal: this pod's StatefulSet ordinal (redis-2 -> 2).
ordinal() {
  printf '%s\n' "${POD_NAME##*-}"
}

# nth N WORDS...: the Nth (0-based) of the remaining words.
nth() {
  _n=$1
  shift
  while [ "$_n" -gt 0 ] && [ "$#" -gt 0 ]; do
    shift
    _n=$((_n - 1))
  done
  [ "$#" -gt 0 ] && printf '%s\n' "$1"
}

# pod_address N: the address of Redis pod N. POD_ADDRESSES (space-separated,
# index = ordinal) overrides the FQDNs for tests and the local drill.
pod_address() {
  if [ -n "${POD_ADDRESSES:-}" ]; then
    # shellcheck disable=SC2086 # word splitting of the list is intended
    nth "$1" $POD_ADDRESSES
  else
    fqdn "$STATEFULSET-$1" "$HEADLESS_SERVICE"
  fi
}

# self_address: this pod's own Redis address.
self_address() {
  pod_address "$(ordinal)"
}

# sentinel_self_address: this pod's own Sentinel address (SENTINEL_ADDRESSES
# entries are host:port).
sentinel_self_address() {
  if [ -n "${SENTINEL_ADDRESSES:-}" ]; then
    # shellcheck disable=SC2086
    _s=$(nth "$(ordinal)" $SENTINEL_ADDRESSES)
    printf '%s\n' "${_s%:*}"
  else
    fqdn "$POD_NAME" "$SENTINEL_HEADLESS_SERVICE"
  fi
}

# sentinel_addresses: one "host port" line per Sentinel.
sentinel_addresses() {
  if [ -n "${SENTINEL_ADDRESSES:-}" ]; then
    for _a in $SENTINEL_ADDRESSES; do
      printf '%s %s\n' "${_a%:*}" "${_a##*:}"
    done
    return 0
  fi
  _i=0
  while [ "$_i" -lt "$SENTINELS" ]; do
    printf '%s %s\n' "$(fqdn "$SENTINEL_STATEFULSET-$_i" "$SENTINEL_HEADLESS_SERVICE")" "$SENTINEL_PORT"
    _i=$((_i + 1))
  done
}

# sentinel_count: how many Sentinels are configured.
sentinel_count() {
  sentinel_addresses | awk 'END { print NR }'
}

# sentinels_present: how many Sentinels the guard's majorities count: those configured, less the Sentinel pods at the
# top ordinals whose names do not resolve. A scale-in removes the highest ordinals, and a pod still running the
# template from before it (SENTINELS 5 where 3 are left, during the roll) would otherwise wait for a majority of
# Sentinels that are gone: a promoted master left without a replica kept refusing writes (min-replicas-to-write) for
# 11 s, an old master was never made a replica (found by `redisgen drill`, upgrade 5 -> 3 pods). Only the top: a pod
# being recreated in the middle keeps its vote counted, and a top one gone for a moment changes no majority of an odd
# count. Nothing resolving at all (no DNS) counts every configured Sentinel.
sentinels_present() {
  if [ -n "${SENTINEL_ADDRESSES:-}" ]; then
    sentinel_count
    return 0
  fi
  _sp_top=0
  _sp_i=0
  while [ "$_sp_i" -lt "$SENTINELS" ]; do
    if resolve "$(fqdn "$SENTINEL_STATEFULSET-$_sp_i" "$SENTINEL_HEADLESS_SERVICE")" >/dev/null 2>&1; then
      _sp_top=$((_sp_i + 1))
    fi
    _sp_i=$((_sp_i + 1))
  done
  if [ "$_sp_top" -eq 0 ]; then
    sentinel_count
  else
    printf '%s\n' "$_sp_top"
  fi
}

# is_self HOST: true when HOST names this pod (FQDN, override address, pod IP, pod name).
is_self() {
  _h="${1%.}"
  [ -n "$_h" ] || return 1
  [ "$_h" = "$(self_address)" ] && return 0
  [ -n "${POD_IP:-}" ] && [ "$_h" = "$POD_IP" ] && return 0
  [ "$_h" = "$POD_NAME" ] && return 0
  [ -n "${HEADLESS_SERVICE:-}" ] && [ "$_h" = "$POD_NAME.$HEADLESS_SERVICE" ] && return 0
  return 1
}

# ---------------------------------------------------------------- DNS

# is_ip HOST: true for an IPv4 or IPv6 literal.
is_ip() {
  case "$1" in
    *:*) return 0 ;;
    *[!0-9.]*) return 1 ;;
    *.*.*.*) return 0 ;;
  esac
  return 1
}

# resolve HOST: print the first address of HOST, or fail. getent (glibc) first,
# busybox nslookup otherwise. HOSTS_FILE (a hosts(5) file; test and drill
# override, never rendered) replaces both: a name missing from it does not
# resolve (yet), as a pod name before its DNS record exists.
resolve() {
  if is_ip "$1"; then
    printf '%s\n' "$1"
    return 0
  fi
  if [ -n "${HOSTS_FILE:-}" ]; then
    _r=$(awk -v h="$1" '$1 !~ /^#/ { for (i = 2; i <= NF; i++) if ($i == h) { print $1; exit } }' "$HOSTS_FILE" 2>/dev/null)
  elif command -v getent >/dev/null 2>&1; then
    _r=$(getent hosts "$1" 2>/dev/null | awk 'NR == 1 { print $1 }')
  else
    _r=$(nslookup "$1" 2>/dev/null | awk '
      /^Name:/ { named = 1; next }
      named && /^Address/ { sub(/^Address[^:]*:[ \t]*/, ""); print $1; exit }')
  fi
  [ -n "$_r" ] || return 1
  printf '%s\n' "$_r"
}

# wait_for_dns HOST [SECONDS]: wait (bounded) until HOST resolves. Sentinel
# exits when it cannot resolve a monitored name (seed 001 crash-loop), so every
# start waits here first, and says clearly when it gave up.
wait_for_dns() {
  _host=$1
  _limit="${2:-$DNS_WAIT_SECONDS}"
  _start=$(date +%s)
  _logged=0
  while ! resolve "$_host" >/dev/null; do
    _waited=$(($(date +%s) - _start))
    if [ "$_waited" -ge "$_limit" ]; then
      log "DNS: $_host did not resolve within ${_limit}s (is the headless Service publishing not-ready addresses?)"
      return 1
    fi
    if [ "$_logged" -eq 0 ]; then
      log "DNS: waiting up to ${_limit}s for $_host to resolve"
      _logged=1
    fi
    sleep 1
  done
  return 0
}

# ---------------------------------------------------------------- redis-cli

# _cli PASSWORD HOST PORT ARGS...: redis-cli bounded by REDIS_CLI_TIMEOUT. The
# password travels in REDISCLI_AUTH inside a subshell, never on a command line;
# with a password, the ACL user _cli_user (set by redis_cli, cleared by
# sentinel_cli) goes with it as --user (a name, no secret).
_cli() (
  _pw=$1
  _host=$2
  _port=$3
  shift 3
  if [ -n "$_pw" ]; then
    REDISCLI_AUTH=$_pw
    export REDISCLI_AUTH
    if [ -n "${_cli_user:-}" ]; then
      set -- --user "$_cli_user" "$@"
    fi
  else
    unset REDISCLI_AUTH
  fi
  cli_exec "$REDIS_CLI_TIMEOUT" -e -h "$_host" -p "$_port" "$@"
)

# cli_exec SECONDS ARGS...: exec redis-cli ARGS, bounded by SECONDS (0: unbounded), in the caller's subshell. The one
# place that starts redis-cli: with TLS (TLS_DIR, the mounted Secret in cert-manager's shape) it speaks TLS, verifies
# the server against ca.crt and presents the pod's certificate (which `tls-auth-clients yes` asks for).
cli_exec() {
  _ce_secs=$1
  shift
  if [ -n "${TLS_DIR:-}" ]; then
    set -- --tls --cacert "$TLS_DIR/ca.crt" --cert "$TLS_DIR/tls.crt" --key "$TLS_DIR/tls.key" "$@"
  fi
  if [ "$_ce_secs" != 0 ] && command -v timeout >/dev/null 2>&1; then
    exec timeout "$_ce_secs" redis-cli "$@"
  fi
  exec redis-cli "$@"
}

# redis_cli HOST PORT ARGS...: a command to a Redis server, as REDIS_USER (the
# ACL user of the scripts, `admin`; unset: the default user) with REDIS_PASSWORD.
redis_cli() {
  _cli_user=${REDIS_USER:-}
  _cli "${REDIS_PASSWORD:-}" "$@"
}

# resp ARGS...: one command in RESP, as a client library sends it. Lengths are in
# bytes (wc -c), so a password with spaces, quotes or UTF-8 goes through as it is;
# printf is a shell builtin, so no argument shows in a process list.
resp() {
  printf '*%s\r\n' "$#"
  for _ra in "$@"; do
    printf '$%s\r\n%s\r\n' "$(printf %s "$_ra" | wc -c | tr -d ' ')" "$_ra"
  done
}

# redis_queue SECONDS HOST PORT ARGS...: AUTH (when there is a password) and the
# command in one write, without waiting for an answer in between, then up to
# SECONDS for both answers. A frozen server finds both in its socket and runs them
# as it resumes, even when this script is gone by then; redis-cli -a, or
# REDISCLI_AUTH, would wait for the AUTH answer before it sent the command.
# Prints OK when both succeeded, else what redis-cli said.
redis_queue() {
  _rq_secs=$1
  _rq_host=$2
  _rq_port=$3
  shift 3
  _rq_out=$({
    if [ -n "${REDIS_PASSWORD:-}" ] && [ -n "${REDIS_USER:-}" ]; then
      resp AUTH "$REDIS_USER" "$REDIS_PASSWORD"
    elif [ -n "${REDIS_PASSWORD:-}" ]; then
      resp AUTH "$REDIS_PASSWORD"
    fi
    resp "$@"
    # A server that cannot be reached makes redis-cli exit before it reads: printf's write error is noise (seen in
    # the drill's logs, "printf: I/O error" four times a fence), redis-cli's own message is the answer.
  } 2>/dev/null | (cli_exec "$_rq_secs" -h "$_rq_host" -p "$_rq_port" --pipe --pipe-timeout "$_rq_secs" 2>&1))
  case "$_rq_out" in
    *"errors: 0, replies:"*) printf 'OK\n' ;;
    *) printf '%s\n' "$(printf '%s\n' "$_rq_out" | grep -v -e '^All data transferred' -e '^Last reply received' | tr '\n' ' ')" ;;
  esac
}

# sentinel_cli HOST PORT ARGS...: a command to a Sentinel (its own password).
sentinel_cli() {
  _cli_user=
  _cli "${SENTINEL_PASSWORD:-}" "$@"
}

# redis_role HOST PORT: master | slave | (fails when unreachable).
redis_role() {
  _info=$(redis_cli "$1" "$2" INFO replication 2>/dev/null) || return 1
  _role=$(printf '%s\n' "$_info" | tr -d '\r' | awk -F: '$1 == "role" { print $2 }')
  [ -n "$_role" ] || return 1
  printf '%s\n' "$_role"
}

# info_field HOST PORT SECTION FIELD: one field of INFO SECTION.
info_field() {
  redis_cli "$1" "$2" INFO "$3" 2>/dev/null | tr -d '\r' | awk -F: -v f="$4" '$1 == f { print $2 }'
}

# ---------------------------------------------------------------- master decision

# sentinel_query HOST PORT: ask one Sentinel; print "host port config-epoch flags"
# for MASTER_NAME, or fail when it is unreachable or does not know the master.
sentinel_query() {
  _out=$(sentinel_cli "$1" "$2" SENTINEL get-master-addr-by-name "$MASTER_NAME" 2>/dev/null) || return 1
  _mh=$(printf '%s\n' "$_out" | tr -d '\r' | sed -n 1p)
  _mp=$(printf '%s\n' "$_out" | tr -d '\r' | sed -n 2p)
  [ -n "$_mh" ] && [ -n "$_mp" ] || return 1
  _detail=$(sentinel_cli "$1" "$2" SENTINEL master "$MASTER_NAME" 2>/dev/null | tr -d '\r' |
    awk 'prev == "config-epoch" { e = $0 } prev == "flags" { f = $0 } { prev = $0 }
         END { printf "%s %s\n", (e == "" ? 0 : e), (f == "" ? "unknown" : f) }')
  printf '%s %s %s\n' "$_mh" "$_mp" "${_detail:-0 unknown}"
}

# ask_sentinels SECONDS FUNCTION [ARG...]: FUNCTION HOST PORT ARG... for every Sentinel (sentinel_addresses) at
# the same time, each redis-cli bounded by SECONDS, and what each prints when it succeeds, every line prefixed
# with that Sentinel's index: "INDEX LINE", in index order. Asked at the same time: one that is gone (its pod
# deleted, its address not answering) costs up to SECONDS, once rather than once per Sentinel after it, and
# every loop that asks (a starting pod waiting for a failover, the guard lifting the write fence) sees a
# promotion that much sooner (found by `redisgen drill`, scenario replica-restart). Each answer is one short
# line written at once, so answers written at the same time do not mix; the index puts them back in order.
ask_sentinels() {
  _as_secs=$1
  _as_fn=$2
  shift 2
  sentinel_addresses | {
    _as_i=0
    while read -r _as_h _as_p; do
      (
        # shellcheck disable=SC2030 # this ask's bound only
        REDIS_CLI_TIMEOUT=$_as_secs
        _as_out=$("$_as_fn" "$_as_h" "$_as_p" "$@") && printf '%s\n' "$_as_out" | sed "s/^/$_as_i /"
      ) &
      _as_i=$((_as_i + 1))
    done
    wait
  } | sort -n -k1,1
}

# sentinel_answers: one sentinel_query line per reachable Sentinel, in the order of sentinel_addresses.
sentinel_answers() {
  # shellcheck disable=SC2031 # the caller's bound (ask_sentinels sets it in its subshells only)
  ask_sentinels "$REDIS_CLI_TIMEOUT" sentinel_query | cut -d' ' -f2-
}

# choose_master: read "host port epoch [flags]" answers on stdin; print
# "host port votes" for the address most Sentinels name; ties go to the higher
# config epoch (the newer failover), then to the first answer.
choose_master() {
  awk '
    NF >= 2 {
      k = $1 " " $2
      if (!(k in votes)) { order[k] = NR; epoch[k] = $3 + 0 }
      votes[k]++
      if ($3 + 0 > epoch[k]) epoch[k] = $3 + 0
    }
    END {
      best = ""
      for (k in votes) {
        if (best == "" || votes[k] > votes[best] ||
            (votes[k] == votes[best] && (epoch[k] > epoch[best] ||
             (epoch[k] == epoch[best] && order[k] < order[best])))) best = k
      }
      if (best != "") print best, votes[best]
    }'
}

# kept_master: "host port" of MASTER_NAME in this pod's kept sentinel.conf
# (the monitor line as Sentinel rewrote it at the last failover), or fail.
kept_master() {
  _f="$SENTINEL_DIR/sentinel.conf"
  [ -r "$_f" ] || return 1
  _k=$(awk -v n="$MASTER_NAME" '$1 == "sentinel" && $2 == "monitor" && $3 == n { print $4, $5; exit }' "$_f")
  case "$_k" in
    "" | @*) return 1 ;;
  esac
  printf '%s\n' "$_k"
}

# kept_config_epoch: the config epoch of MASTER_NAME in this pod's kept sentinel.conf (the failover that
# made its monitor line's master), or fail.
kept_config_epoch() {
  _f="$SENTINEL_DIR/sentinel.conf"
  [ -r "$_f" ] || return 1
  _e=$(awk -v n="$MASTER_NAME" '$1 == "sentinel" && $2 == "config-epoch" && $3 == n { print $4; exit }' "$_f")
  case "$_e" in
    "" | *[!0-9]*) return 1 ;;
  esac
  printf '%s\n' "$_e"
}

# recorded_master: "host port" of the last master this Redis pod saw (written
# by redis-start.sh and the split-brain guard), or fail.
recorded_master() {
  _f="$STATE_DIR/last-master"
  [ -r "$_f" ] || return 1
  _k=$(awk 'NF == 2 { print $1, $2; exit }' "$_f")
  [ -n "$_k" ] || return 1
  printf '%s\n' "$_k"
}

# record_master HOST PORT: remember the master for the next start (best effort).
record_master() {
  mkdir -p "$STATE_DIR" 2>/dev/null || return 0
  printf '%s %s\n' "$1" "$2" >"$STATE_DIR/last-master.tmp" 2>/dev/null &&
    mv -f "$STATE_DIR/last-master.tmp" "$STATE_DIR/last-master" 2>/dev/null
  return 0
}

# followed_master INFO: from this pod's INFO replication, "self" when it is master, else "HOST PORT" of
# the master it follows (nothing when INFO is empty).
followed_master() {
  printf '%s\n' "$1" | tr -d '\r' |
    awk -F: '{ v[$1] = $2 } END { if (v["role"] == "master") print "self"; else if (v["master_host"] != "") print v["master_host"], v["master_port"] }'
}

# record_followed FOLLOWED: record_master for a followed_master answer ("self" is this pod's address).
# shellcheck disable=SC2086 # "HOST PORT" split into two arguments on purpose
record_followed() {
  case "$1" in
    "") ;;
    self) record_master "$(self_address)" "$REDIS_PORT" ;;
    *) record_master $1 ;;
  esac
}

# decide_master_address: print "host port source" of the master to follow.
# Order: live Sentinels (any answer, majority preferred) > kept sentinel.conf >
# the master this pod last saw > first start (pod 0). Ordinal 0 becomes master
# only when nothing at all is known.
decide_master_address() {
  decide_master_address_from "$(sentinel_answers)"
}

# decide_master_address_from ANSWERS: decide_master_address with the Sentinels' answers already asked.
decide_master_address_from() {
  _answers=$1
  if [ -n "$_answers" ]; then
    _best=$(printf '%s\n' "$_answers" | choose_master)
    _n=$(printf '%s\n' "$_answers" | awk 'END { print NR }')
    _distinct=$(printf '%s\n' "$_answers" | awk '{ print $1, $2 }' | sort -u | awk 'END { print NR }')
    if [ "$_distinct" -gt 1 ]; then
      log "decision: Sentinels disagree ($(printf '%s\n' "$_answers" | awk '{ printf "%s%s:%s@%s", sep, $1, $2, $3; sep = ", " }')); following $_best votes"
    fi
    printf '%s sentinels(%s)\n' "$(printf '%s\n' "$_best" | awk '{ print $1, $2 }')" "$_n"
    return 0
  fi
  if _k=$(kept_master); then
    printf '%s kept-sentinel-conf\n' "$_k"
    return 0
  fi
  if _k=$(recorded_master); then
    printf '%s recorded\n' "$_k"
    return 0
  fi
  printf '%s %s first-start\n' "$(pod_address 0)" "$REDIS_PORT"
}

# role_for "HOST PORT SOURCE": print "master" when HOST is this pod, else
# "replica HOST PORT"; log the decision and its source.
role_for() {
  _dh=$(printf '%s\n' "$1" | awk '{ print $1 }')
  _dp=$(printf '%s\n' "$1" | awk '{ print $2 }')
  _ds=$(printf '%s\n' "$1" | awk '{ print $3 }')
  if is_self "$_dh"; then
    log "decision: master (source: $_ds)"
    printf 'master\n'
  else
    log "decision: replica of $_dh:$_dp (source: $_ds)"
    printf 'replica %s %s\n' "$_dh" "$_dp"
  fi
}

# bootstrap_decide: print "master" or "replica HOST PORT" for this Redis pod.
bootstrap_decide() {
  role_for "$(decide_master_address)"
}

# pod_addresses [SKIP]: the address of every Redis pod (ordinals 0 to REPLICAS - 1) but ordinal SKIP, one per line.
pod_addresses() {
  _i=0
  while [ "$_i" -lt "$REPLICAS" ]; do
    [ "$_i" = "${1:-}" ] || pod_address "$_i"
    _i=$((_i + 1))
  done
}

# other_pod_addresses: the address of every other Redis pod, one per line.
other_pod_addresses() {
  pod_addresses "$(ordinal)"
}

# peer_replicas: one "ADDRESS MASTER_HOST LINK OFFSET" line for every other Redis pod that answers as a
# replica holding replicated data (replication offset > 0): a copy of some master's data, maybe newer
# than this pod's own. A replica that never synced (every pod's first start) holds nothing.
peer_replicas() {
  other_pod_addresses | while read -r _pa; do
    _pi=$(redis_cli "$_pa" "$REDIS_PORT" INFO replication 2>/dev/null | tr -d '\r') || continue
    printf '%s\n' "$_pi" | awk -F: -v a="$_pa" '
      { v[$1] = $2 }
      END { if (v["role"] == "slave" && v["master_repl_offset"] + 0 > 0) print a, v["master_host"], v["master_link_status"], v["master_repl_offset"] }'
  done
}

# A master that stops through prestop.sh (no replica promoted in its place) leaves STOPPED_AS_MASTER:
# no replica can hold data it lacks, as long as Redis saved on the SIGTERM that followed. A whole-cluster
# restart then brings it back as master at once; without the mark, its replicas (back first, holding
# replicated data) held it back until the Sentinels promoted one of them, and every write it had taken
# after they stopped was lost (found by `redisgen drill`, scenario reboot, RDB-only profiles).
STOPPED_AS_MASTER="$STATE_DIR/stopped-as-master"

# mark_stopped_as_master: prestop.sh, when this pod stops as master.
mark_stopped_as_master() {
  mkdir -p "$STATE_DIR" 2>/dev/null || return 0
  date -u +%Y-%m-%dT%H:%M:%SZ >"$STOPPED_AS_MASTER" 2>/dev/null || true
}

# A pod whose preStop has begun leaves STOPPING, removed at its next start (redis-start.sh): the
# split-brain guard never lets a stopping master take writes without a replica ("degraded writes").
STOPPING="$STATE_DIR/stopping"

# mark_stopping: prestop.sh, first thing.
mark_stopping() {
  mkdir -p "$STATE_DIR" 2>/dev/null || return 0
  date -u +%Y-%m-%dT%H:%M:%SZ >"$STOPPING" 2>/dev/null || true
}

# saved_after_stopping_as_master: true when STOPPED_AS_MASTER exists and the data on the volume is
# at least as new: with appendonly yes every acknowledged write was written to the AOF before the
# process ended (a killed process loses nothing the kernel has); with RDB only, the snapshot must have
# been written after the mark (the save on SIGTERM).
saved_after_stopping_as_master() {
  [ -f "$STOPPED_AS_MASTER" ] || return 1
  if [ "$(awk '$1 == "appendonly" { v = $2 } END { print v }' "$CONFIG_DIR/redis.conf" 2>/dev/null)" = yes ]; then
    return 0
  fi
  _rdb="$DATA_DIR/$(awk '$1 == "dbfilename" { v = $2 } END { print (v == "" ? "dump.rdb" : v) }' "$CONFIG_DIR/redis.conf" 2>/dev/null)"
  [ -f "$_rdb" ] && [ -n "$(find "$_rdb" -newer "$STOPPED_AS_MASTER" 2>/dev/null)" ]
}

# failing_over ANSWERS: true when a Sentinel answer ("host port epoch flags") shows the master down
# or a failover under way: the master it names now is about to change.
failing_over() {
  printf '%s\n' "$1" | grep -q -e o_down -e failover_in_progress -e promoted
}

# start_decide: bootstrap_decide for redis-start.sh, which also waits (Redis not running) where the
# answer is about to change or would lose data:
# - a master the Sentinels (or its kept state) name while another Redis pod answers as a replica
#   holding replicated data is a master restarting: the kubelet restarts a crashed or OOM-killed
#   container in place within seconds, long before down-after. It would come back from its last RDB
#   snapshot (or empty, or up to a second behind with AOF), and every replica that reconnects would
#   full-resync and throw away the newer data (found by `redisgen drill`, scenario container-restart:
#   670 WAIT-confirmed writes lost). It waits: the Sentinels see the master down, promote the replica
#   with the most data, and this pod follows it. With no such replica, its own data is the best there
#   is and it starts as master (on the first start of all, the replicas wait for it with nothing).
#   Nor does a master that stopped as master through prestop.sh and saved on shutdown
#   (saved_after_stopping_as_master): its replicas hold a part of what it has;
# - while the Sentinels fail over (master o_down, failover in progress) and the master they name
#   does not answer as a master, a pod waits up to FAILOVER_WAIT_SECONDS for the promoted one
#   instead of following the old one, so that it needs no reconfiguration the failover's leader may
#   send to the address it had before (scenario replica-restart). The Sentinels name the promoted
#   replica as soon as it is master, long before the failover ends;
# - while no Sentinel answers and this pod has kept state (not its first start), up to
#   SENTINEL_WAIT_SECONDS: the Sentinels restart with the pods (a whole-cluster restart) and answer
#   within seconds, with the master of the last failover; the state this pod kept may be older (a
#   promotion it had not recorded yet). Deciding from it made every pod a replica of another, the
#   Sentinels promoted one of them, and the master that had stopped last resynced from it and lost its
#   newer writes, some of them WAIT-confirmed (found by `redisgen drill`, scenario reboot).
start_decide() {
  _sd_start=$(date +%s)
  _sd_waited=0
  _sd_logged=""
  _sd_logged_at=0
  while :; do
    _answers=$(sentinel_answers)
    _d=$(decide_master_address_from "$_answers")
    _why=""
    if [ -n "$_answers" ] && failing_over "$_answers" && [ "$_sd_waited" -lt "${FAILOVER_WAIT_SECONDS:-20}" ] &&
      ! is_self "${_d%% *}" && [ "$(redis_role "${_d%% *}" "$(printf '%s\n' "$_d" | awk '{ print $2 }')" || echo down)" != master ]; then
      _why="the Sentinels are failing over $MASTER_NAME"
    elif is_self "${_d%% *}" && [ "${_d##* }" != first-start ]; then
      _peers=$(peer_replicas)
      if [ -n "$_peers" ] && saved_after_stopping_as_master; then
        [ -n "${_sd_clean_logged:-}" ] || log "the ${_d##* } name this pod master; it stopped as master ($(cat "$STOPPED_AS_MASTER")) and saved on shutdown: no replica holds data it lacks"
        _sd_clean_logged=1
      elif [ -n "$_peers" ]; then
        _why="the ${_d##* } name this pod master, but $(printf '%s\n' "$_peers" | awk 'END { print NR }') replica(s) hold data this pod may not have ($(printf '%s\n' "$_peers" | awk '{ printf "%s%s offset %s", sep, $1, $4; sep = ", " }')): a restarted master must not resync them to older data; waiting for the Sentinels to promote one"
      fi
    fi
    if [ -z "$_why" ] && [ -z "$_answers" ] && [ "$(sentinel_count)" -gt 0 ] && [ "${_d##* }" != first-start ] &&
      [ "$_sd_waited" -lt "${SENTINEL_WAIT_SECONDS:-20}" ]; then
      _why="no Sentinel answers yet; the state this pod kept (${_d##* }: ${_d% *}) may be older than theirs"
    fi
    [ -n "$_why" ] || break
    if [ "$_why" != "$_sd_logged" ] || [ $((_sd_waited - _sd_logged_at)) -ge 30 ]; then
      log "waiting ($_sd_waited s): $_why"
      _sd_logged=$_why
      _sd_logged_at=$_sd_waited
    fi
    # A quarter of a second: the Sentinels name the promoted replica as soon as it is master, and every
    # second this pod waits on after that is a second its new master may refuse writes for lack of a
    # replica (min-replicas-to-write), or a restarted master's clients wait.
    sleep 0.25
    # Seconds, not rounds: asking unreachable Sentinels or pods takes up to REDIS_CLI_TIMEOUT each.
    _sd_waited=$(($(date +%s) - _sd_start))
  done
  role_for "$_d"
}

# ---------------------------------------------------------------- write fence

# A master that stalls (SIGSTOP, a paused VM, a stuck disk) for longer than down-after is failed over
# while it cannot notice; when it resumes, replicas the failover's leader has not reconfigured yet
# (parallel-syncs) still follow it, and a write a client had sent it (most clients wait as long as it
# takes) is acknowledged and confirmed by WAIT, then thrown away when those replicas resync from the new
# master (found by `redisgen drill`, scenario freeze). sentinel-notify.sh therefore (1) on +selected-slave
# points every other replica at the selected one at once, so a resuming old master has no replica left to
# confirm what it answers, and (2) on +sdown fences the master: a min-replicas-to-write no replica set can
# meet, which a frozen master applies when it resumes (a write sent before is answered first), so later
# writes are refused. The split-brain guard lifts the fence once the Sentinels agree this pod is still
# the master, or as soon as it is a replica.
# shellcheck disable=SC2034 # used by sentinel-notify.sh and split-brain-guard.sh
FENCE_REPLICAS=1000000

# rendered_min_replicas: min-replicas-to-write as rendered (0 when unset). From the ConfigMap, not the
# runtime copy: Sentinel's CONFIG REWRITE (it sends one with every REPLICAOF) writes the fence into that.
rendered_min_replicas() {
  awk '$1 == "min-replicas-to-write" { v = $2 } END { print (v == "" ? 0 : v) }' "$CONFIG_DIR/redis.conf" 2>/dev/null || printf '0\n'
}

# scaled_away HOST: true when HOST is the headless name of a pod this deployment's StatefulSets no longer have: a
# Redis pod of ordinal REPLICAS or above, or a Sentinel pod of ordinal SENTINELS or above (a scale-in removes the
# highest ordinals). Sentinel never forgets a replica or a Sentinel it once knew (only SENTINEL RESET does): a gone
# Sentinel keeps counting in the majority a failover needs, a gone replica stays s_down in every answer.
scaled_away() {
  _sa_h=${1%.}
  _sa_pod=${_sa_h%%.*}
  for _sa_set in "${SENTINEL_STATEFULSET:-}:${SENTINELS:-0}:${SENTINEL_HEADLESS_SERVICE:-}" \
    "${STATEFULSET:-}:${REPLICAS:-0}:${HEADLESS_SERVICE:-}"; do
    _sa_sts=${_sa_set%%:*}
    _sa_rest=${_sa_set#*:}
    _sa_max=${_sa_rest%%:*}
    _sa_svc=${_sa_rest#*:}
    if [ -z "$_sa_sts" ] || [ -z "$_sa_svc" ]; then continue; fi
    case "$_sa_pod" in
      "$_sa_sts"-*) _sa_n=${_sa_pod#"$_sa_sts"-} ;;
      *) continue ;;
    esac
    case "$_sa_n" in
      "" | *[!0-9]*) continue ;;
    esac
    [ "$_sa_h" = "$(fqdn "$_sa_pod" "$_sa_svc")" ] || continue
    [ "$_sa_n" -ge "$_sa_max" ] && return 0
    return 1
  done
  return 1
}

# kept_sentinel_state HOST PORT: the state a Sentinel's kept sentinel.conf (stdin) holds, for a restart
# that follows master HOST:PORT (stdout): its myid, the epochs, the known replicas and Sentinels. The
# settings (quorum, down-after, failover-timeout, parallel-syncs, ...) are not state: they come from the
# ConfigMap at every start, so that a changed profile reaches running Sentinels (sentinel-start.sh);
# neither are the runtime lines (passwords, announce-ip, notification-script), added again from the env.
# A known-replica / known-sentinel line stays only if its host resolves now (Sentinel refuses a config
# with an unresolvable one; both are rediscovered within seconds; in ip mode they hold stale pod IPs:
# dropped, and the known replicas are the Redis pods at the IPs they resolve to now: known_replica_lines),
# nor if it names a pod a scale-in removed (scaled_away: its name may still resolve while it
# terminates), and a known-replica line for HOST:PORT itself is dropped: kept from before the failover that
# promoted it, it makes Sentinel take the master for one of its own replicas and send it REPLICAOF
# itself, leaving no master at all until the next failover (found by `redisgen drill`).
kept_sentinel_state() {
  _km=$1
  _kp=$2
  while IFS= read -r _line || [ -n "$_line" ]; do
    set -f
    # shellcheck disable=SC2086 # split the line into words on purpose
    set -- $_line
    set +f
    case "${1:-} ${2:-}" in
      "sentinel myid" | "sentinel current-epoch") printf '%s\n' "$_line" ;;
      "sentinel config-epoch" | "sentinel leader-epoch")
        [ "${3:-}" != "$MASTER_NAME" ] || printf '%s\n' "$_line"
        ;;
      "sentinel known-replica" | "sentinel known-sentinel")
        [ "$ADDRESS_MODE" = hostname ] || continue
        [ "${3:-}" = "$MASTER_NAME" ] || continue
        if [ "$2" = known-replica ] && [ "${4:-}" = "$_km" ] && [ "${5:-}" = "$_kp" ]; then
          continue
        fi
        ! scaled_away "${4:-}" || continue
        resolve "${4:-}" >/dev/null || continue
        printf '%s\n' "$_line"
        ;;
      "sentinel monitor")
        if [ "${3:-}" = "$MASTER_NAME" ] && { [ "${4:-}" != "$_km" ] || [ "${5:-}" != "$_kp" ]; }; then
          log "kept config named ${4:-?}:${5:-?}; now $_km:$_kp"
        fi
        ;;
    esac
  done
  known_replica_lines "$_km" "$_kp"
}

# known_replica_lines HOST PORT: in ip mode, one `sentinel known-replica` line for every Redis pod whose name
# resolves now, at the IP it resolves to now, but the master HOST:PORT itself; nothing in hostname mode (the kept
# lines name the pods there: kept_sentinel_state). Sentinel learns its replicas from the master's INFO only, so a
# Sentinel that starts while the master is gone, its kept known-replica lines dropped (ip mode: stale pod IPs) or
# its volume new, knows no replica at all; elected, it aborts with -failover-abort-no-good-slave and the next try
# comes 2 x failover-timeout later (found in a drill with `sentinel.address: ip`). With these lines it knows them
# from its start. What Redis 7.0 Sentinel (sentinel.c) does with a listed pod that is no replica of this master:
# - one whose Redis is not up (restarting, or not started yet) is a replica it cannot reach: disconnected, then
#   s_down, never selected (with the master down, sentinelSelectSlave also skips one whose INFO is older than 5 s);
# - one replicating another master is sent REPLICAOF this one (+fix-slave-config) only while the master looks sane
#   (up, answering as master) and after failover-timeout without a change: what it does to every replica it knows,
#   and the other Sentinels' hellos move a Sentinel that monitors a stale master to the new one within seconds;
# - one answering as master is made a replica (+convert-to-slave) only while the master looks sane, 8 s on; with
#   the master down it is left alone, and a failover ranks it behind every replica holding data (its replication
#   offset counts as 0, the priority being the same), so it is chosen only when no replica is good, a master already.
# The master's own address is left out (a known-replica line for it makes Sentinel send it REPLICAOF itself:
# kept_sentinel_state), and each address comes once: Sentinel refuses a config naming a replica twice ("Wrong
# hostname or port for replica.") and would not start; one the master's INFO lists later is found by its address,
# not added again. A pod a scale-in removed (scaled_away) is never listed: only the ordinals below REPLICAS are.
known_replica_lines() {
  [ "$ADDRESS_MODE" = ip ] || return 0
  pod_addresses | while read -r _kr; do
    _kr=$(resolve "$_kr") || continue
    [ "$_kr" != "$1" ] || [ "$REDIS_PORT" != "$2" ] || continue
    printf 'sentinel known-replica %s %s %s\n' "$MASTER_NAME" "$_kr" "$REDIS_PORT"
  done | awk '!seen[$0]++'
}

# sentinel_down_after: the down-after this Sentinel monitors with: the ConfigMap's value + ordinal x
# SENTINEL_STAGGER_MILLISECONDS (sentinel-start.sh says why); nothing when the ConfigMap has none.
sentinel_down_after() {
  _da=$(awk -v n="$MASTER_NAME" '$1 == "sentinel" && $2 == "down-after-milliseconds" && $3 == n { print $4 }' "$CONFIG_DIR/sentinel.conf")
  [ -z "$_da" ] || printf '%s\n' "$((_da + $(ordinal) * ${SENTINEL_STAGGER_MILLISECONDS:-250}))"
}

# sentinel_master_fields HOST PORT FIELD...: the FIELDs of `SENTINEL MASTER MASTER_NAME` at the Sentinel HOST:PORT on
# one line, in order (a field Sentinel leaves out, as s-down-time while the master is up: 0; failover-state: none);
# fails when the Sentinel does not answer or knows no such master.
sentinel_master_fields() {
  _smh=$1
  _smp=$2
  shift 2
  sentinel_cli "$_smh" "$_smp" SENTINEL master "$MASTER_NAME" 2>/dev/null | tr -d '\r' | awk -v want="$*" '
    NR % 2 == 1 { k = $0; next }
    { v[k] = $0 }
    END {
      if (v["ip"] == "") exit 1
      n = split(want, w, " ")
      for (i = 1; i <= n; i++) {
        x = v[w[i]]
        if (x == "") x = (w[i] == "failover-state" ? "none" : 0)
        printf "%s%s", x, (i < n ? " " : "\n")
      }
    }'
}

# sentinel_set KEY VALUE: SENTINEL SET MASTER_NAME KEY VALUE on this pod's own Sentinel, up to 3 tries 0.2 s apart.
sentinel_set() {
  _ss=0
  while [ "$_ss" -lt 3 ]; do
    [ "$(sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" SENTINEL SET "$MASTER_NAME" "$1" "$2" 2>&1 | tr -d '\r')" = OK ] && return 0
    _ss=$((_ss + 1))
    sleep 0.2
  done
  return 1
}

# sentinel_setting FILE KEY: the value of MASTER_NAME's KEY in a sentinel.conf (quorum: the monitor
# line's last word), or Sentinel's default when the file has no such line (CONFIG REWRITE leaves
# defaults out).
sentinel_setting() {
  awk -v n="$MASTER_NAME" -v k="$2" '
    $1 == "sentinel" && $3 == n && k == "quorum" && $2 == "monitor" { v = $6 }
    $1 == "sentinel" && $3 == n && $2 == k { v = $4 }
    END {
      if (v == "") v = (k == "failover-timeout" ? 180000 : k == "parallel-syncs" ? 1 : k == "down-after-milliseconds" ? 30000 : "?")
      print v
    }' "$1"
}

# conf_quote VALUE: VALUE as a double-quoted redis.conf / sentinel.conf string.
# printf is a shell builtin, so the value never shows up in a process list.
conf_quote() {
  printf '"%s"\n' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"
}

# ---------------------------------------------------------------- auth

# acl_secret VAR: the value of one of the env vars a users.acl placeholder may name (no eval).
acl_secret() {
  case "$1" in
    REDIS_PASSWORD) printf '%s' "${REDIS_PASSWORD:-}" ;;
    ACL_APP_PASSWORD) printf '%s' "${ACL_APP_PASSWORD:-}" ;;
    ACL_REPLICATION_PASSWORD) printf '%s' "${ACL_REPLICATION_PASSWORD:-}" ;;
    ACL_SENTINEL_PASSWORD) printf '%s' "${ACL_SENTINEL_PASSWORD:-}" ;;
    ACL_EXPORTER_PASSWORD) printf '%s' "${ACL_EXPORTER_PASSWORD:-}" ;;
  esac
}

# acl_user_lines FILE: the user lines of a users.acl, each #${VAR} replaced by # and the SHA-256 of
# env var VAR: the runtime config holds hashes, never the passwords. Fails, saying which, when a
# password is empty (a user with an empty password would let anybody in as it). set -f: the rules
# hold ~* and &*, which are no file names.
acl_user_lines() (
  set -f
  while IFS= read -r _al || [ -n "$_al" ]; do
    case "$_al" in
      user\ *) ;;
      *) continue ;;
    esac
    _ao=""
    for _aw in $_al; do
      # shellcheck disable=SC2016 # the literal placeholder #${VAR}, not an expansion
      case "$_aw" in
        '#${'*'}')
          _av=${_aw#???}
          _av=${_av%?}
          _ap=$(acl_secret "$_av")
          if [ -z "$_ap" ]; then
            log "ACL user $(printf '%s\n' "$_al" | awk '{ print $2 }'): its password (env $_av, from the Secret) is empty"
            return 1
          fi
          _aw="#$(printf '%s' "$_ap" | sha256sum | awk '{ print $1 }')"
          ;;
      esac
      _ao="${_ao:+$_ao }$_aw"
    done
    printf '%s\n' "$_ao"
  done <"$1"
)

# auth_conf_lines: the auth lines of the runtime redis.conf. With ACL users (CONFIG_DIR/users.acl):
# the users, password hashes in place, and the replicas' masteruser/masterauth (the replication user;
# masterauth is the one password Redis needs in clear). Else the one password on the default user
# (requirepass, masterauth). Nothing without a password.
auth_conf_lines() {
  if [ -s "$CONFIG_DIR/users.acl" ]; then
    acl_user_lines "$CONFIG_DIR/users.acl" || return 1
    if [ -n "${ACL_REPLICATION_PASSWORD:-}" ]; then
      printf 'masteruser replication\n'
      printf 'masterauth %s\n' "$(conf_quote "$ACL_REPLICATION_PASSWORD")"
    fi
  elif [ -n "${REDIS_PASSWORD:-}" ]; then
    printf 'requirepass %s\n' "$(conf_quote "$REDIS_PASSWORD")"
    printf 'masterauth %s\n' "$(conf_quote "$REDIS_PASSWORD")"
  fi
}

# ---------------------------------------------------------------- TLS

# tls_fingerprint: a checksum of the mounted certificate, key and CA (TLS_DIR); it changes when Kubernetes swaps in a
# renewed Secret (an atomic symlink swap of the volume's ..data). Fails while a file is unreadable.
tls_fingerprint() {
  cat "$TLS_DIR/tls.crt" "$TLS_DIR/tls.key" "$TLS_DIR/ca.crt" 2>/dev/null | cksum | awk '{ print $1 "-" $2 }'
}

# start_tls_reload: with TLS, tls-reload.sh in the background of the Redis container (it outlives the start script,
# which execs redis-server). TLS_RELOAD_ENABLED=false (tests) leaves it out.
start_tls_reload() {
  if [ -n "${TLS_DIR:-}" ] && [ "${TLS_RELOAD_ENABLED:-true}" = true ]; then
    TLS_LOADED=$(tls_fingerprint) sh "$SCRIPTS_DIR/tls-reload.sh" &
  fi
  return 0
}

# ---------------------------------------------------------------- Redis Cluster
# Used by the cluster-*.sh scripts and backup.sh. Every node is addressed by IP: a pod's name is resolved
# first, as Redis Cluster itself only speaks IPs (cluster-announce-ip, CLUSTER MEET).

# cluster_total: the number of cluster pods, SHARDS x (1 + REPLICAS_PER_SHARD).
cluster_total() {
  printf '%s\n' $((${SHARDS:-3} * (1 + ${REPLICAS_PER_SHARD:-1})))
}

# cluster_pods: one "ORDINAL HOST PORT" line per cluster pod; CLUSTER_NODES (host:port ...) overrides the
# pod addresses.
cluster_pods() {
  if [ -n "${CLUSTER_NODES:-}" ]; then
    _cp=0
    for _a in $CLUSTER_NODES; do
      printf '%s %s %s\n' "$_cp" "${_a%:*}" "${_a##*:}"
      _cp=$((_cp + 1))
    done
    return 0
  fi
  _cp=0
  _ct=$(cluster_total)
  while [ "$_cp" -lt "$_ct" ]; do
    printf '%s %s %s\n' "$_cp" "$(pod_address "$_cp")" "$REDIS_PORT"
    _cp=$((_cp + 1))
  done
}

# cluster_view HOST PORT: CLUSTER NODES of one node, one line per node it knows:
# "id ip port cport hostname flags master link slots" ("-" for an empty field; slots comma-separated
# ranges "a-b", migrating/importing markers left out). Fails when the node does not answer.
cluster_view() {
  _cv=$(redis_cli "$1" "$2" CLUSTER NODES 2>/dev/null) || return 1
  printf '%s\n' "$_cv" | tr -d '\r' | awk '
    NF >= 8 {
      addr = $2; host = "-"
      n = index(addr, ","); if (n > 0) { host = substr(addr, n + 1); addr = substr(addr, 1, n - 1) }
      if (host == "") host = "-"
      at = index(addr, "@"); cport = "-"
      if (at > 0) { cport = substr(addr, at + 1); addr = substr(addr, 1, at - 1) }
      match(addr, /:[0-9]+$/); ip = substr(addr, 1, RSTART - 1); port = substr(addr, RSTART + 1)
      if (ip == "") ip = "-"
      slots = ""
      for (i = 9; i <= NF; i++) {
        if ($i ~ /^\[/) continue
        r = $i; if (r !~ /-/) r = r "-" r
        slots = slots (slots == "" ? "" : ",") r
      }
      print $1, ip, port, cport, host, $3, $4, $8, (slots == "" ? "-" : slots)
    }'
}

# cluster_info_field HOST PORT FIELD: one field of CLUSTER INFO (INFO cluster holds only cluster_enabled).
cluster_info_field() {
  redis_cli "$1" "$2" CLUSTER INFO 2>/dev/null | tr -d '\r' | awk -F: -v f="$3" '$1 == f { print $2 }'
}

# cluster_plan_ranges: the slot range of each shard on a first creation, "K FIRST LAST" (as redis-cli
# --cluster create splits them: 0-5460, 5461-10922, 10923-16383 for 3 shards).
cluster_plan_ranges() {
  awk -v s="${SHARDS:-3}" 'BEGIN {
    per = 16384 / s; first = 0; cursor = 0
    for (k = 0; k < s; k++) {
      last = int(cursor + per - 1 + 0.5)
      if (last > 16383 || k == s - 1) last = 16383
      if (last < first) last = first
      print k, first, last
      first = last + 1; cursor += per
    }
  }'
}

# cluster_preferred_shard ORDINAL: the shard index (0-based, shards sorted by their first slot) pod ORDINAL
# replicates on a first creation: pods 0..SHARDS-1 are the masters, then SHARDS replicas at a time, one per shard.
cluster_preferred_shard() {
  if [ "$1" -lt "${SHARDS:-3}" ]; then
    printf '%s\n' "$1"
  else
    printf '%s\n' $((($1 - ${SHARDS:-3}) % ${SHARDS:-3}))
  fi
}

# cluster_shards VIEW: the shards of a view (cluster_view output), sorted by first slot, one line each:
# "INDEX MASTER_ID HEALTHY_REPLICAS MASTER_FLAGS SLOTS". A shard is a master holding slots.
cluster_shards() {
  printf '%s\n' "$1" | awk '
    { id[NR] = $1; flags[NR] = $6; master[NR] = $7; slots[NR] = $9 }
    END {
      for (i = 1; i <= NR; i++) {
        if (flags[i] ~ /slave/ && flags[i] !~ /fail/ && master[i] != "-") healthy[master[i]]++
      }
      n = 0
      for (i = 1; i <= NR; i++) {
        if (flags[i] !~ /master/ || slots[i] == "-") continue
        split(slots[i], r, ","); split(r[1], a, "-")
        n++; first[n] = a[1] + 0; row[n] = i
      }
      for (i = 2; i <= n; i++) {
        for (j = i; j > 1 && first[j - 1] > first[j]; j--) {
          t = first[j]; first[j] = first[j - 1]; first[j - 1] = t
          t = row[j]; row[j] = row[j - 1]; row[j - 1] = t
        }
      }
      for (k = 1; k <= n; k++) {
        i = row[k]
        print k - 1, id[i], healthy[id[i]] + 0, flags[i], slots[i]
      }
    }'
}

# cluster_choose_shard VIEW ORDINAL: the master id a free node (pod ORDINAL) should replicate: its preferred
# shard if that one lacks a replica, else the first shard that lacks one. Shards whose master is failing
# (fail or pfail: its replica is about to take over) are left alone. Fails when no shard lacks a replica.
cluster_choose_shard() {
  _cs_pref=$(cluster_preferred_shard "$2")
  cluster_shards "$1" | awk -v want="${REPLICAS_PER_SHARD:-1}" -v pref="$_cs_pref" '
    $4 !~ /fail/ && $3 < want { if ($1 == pref) { print $2; found = 1; exit } if (first == "") first = $2 }
    END { if (!found && first != "") print first; exit (found || first != "" ? 0 : 1) }'
}
