# shellcheck shell=sh
# sentinel-start.sh: entrypoint of the Sentinel container. Sentinel rewrites
# its config at every failover, so it runs from a writable, kept copy in
# SENTINEL_DIR (seed 002: a read-only ConfigMap file breaks it). A kept copy
# holds the last known master, the epochs and the known peers, which are
# reused; the settings come from the ConfigMap at every start. In ip mode, exit 1 when the master never
# resolves (the next start asks again) instead of letting Sentinel crash on it
# (seed 001).
set -eu
LOG_TAG=sentinel-start
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

umask 077
mkdir -p "$SENTINEL_DIR"
conf="$SENTINEL_DIR/sentinel.conf"
self=$(sentinel_self_address)
if [ "$ADDRESS_MODE" = hostname ]; then
  wait_for_dns "$self" || exit 1
fi

answers=$(sentinel_answers)
decision=$(decide_master_address_from "$answers")
# answered_epoch: the highest config epoch the other Sentinels answer (0 when none answers).
answered_epoch=$(printf '%s\n' "$answers" | awk 'BEGIN { m = 0 } { if ($3 + 0 > m) m = $3 + 0 } END { print m }')
# Sentinels converge on the highest config epoch. This Sentinel may have led a failover (or heard of one) that
# the others, restarted in the same roll, never learnt: its kept master is then newer than all they answer,
# and following them would undo a promotion clients have written to since (found by `redisgen drill`,
# upgrade: the others' older answer won, and the promoted pod's confirmed writes were resynced away).
if [ -n "$answers" ] && kept=$(kept_master) && kept_epoch=$(kept_config_epoch); then
  if [ "$kept_epoch" -gt "$answered_epoch" ]; then
    log "the kept config names $kept at config epoch $kept_epoch, newer than the other Sentinels' (epoch $answered_epoch): keeping it"
    decision="$kept kept-sentinel-conf"
  fi
fi
master_host=$(printf '%s\n' "$decision" | awk '{ print $1 }')
master_port=$(printf '%s\n' "$decision" | awk '{ print $2 }')
# The current epoch of a Sentinel that follows the others' answer is no lower than any config epoch they
# answer. A Sentinel restarted with an older kept epoch (it missed a failover during its restart) and asked
# for a failover at once (a master's preStop asks without an election) used an epoch the others already
# had for another master, so they ignored its promotion: two masters named by different Sentinels for
# 50 s, and a replica turned back to the old master (found by `redisgen drill`, rolling-update). It learns
# the epoch from hellos too, but only about 2 s after its start, and the preStop of the next pod in a roll
# may ask before that. Only the current epoch: an answer's address and config epoch come from two
# queries, so a failover that ends between them pairs the old master with the new epoch, and a config
# epoch taken from it would make this Sentinel ignore the hellos naming the new master. A current epoch
# no higher than a config epoch some Sentinel holds is never ahead of the others'.
current_epoch_floor=0
case "$decision" in
  *" sentinels("*)
    current_epoch_floor=$answered_epoch
    ;;
esac
log "monitoring $MASTER_NAME at $master_host:$master_port (source: $(printf '%s\n' "$decision" | awk '{ print $3 }'))"

if [ "$ADDRESS_MODE" = ip ]; then
  # Sentinel monitors an IP: wait for the name, bounded.
  wait_for_dns "$master_host" || exit 1
  master_host=$(resolve "$master_host")
elif ! resolve "$master_host" >/dev/null; then
  # Redis 7 Sentinel monitors a name it cannot resolve yet and tries again every second (6.2 exited:
  # the seed 001 crash-loop). Never wait for it: the master may be a pod that is gone for good, whose
  # name never resolves again, and this Sentinel's vote may be the one the failover needs (found by
  # `redisgen drill`, scenario dead-master-dns: no failover within 40 s while it waited).
  log "$master_host does not resolve (yet); starting anyway, Sentinel resolves it when it can"
fi

# runtime_lines: what is added to the config at every start, from the env: the announced name, this
# Sentinel's staggered down-after, the notification script (its path is the pod's SCRIPTS_DIR) and the
# passwords.
runtime_lines() {
  if [ "$ADDRESS_MODE" = hostname ]; then
    printf 'sentinel announce-ip %s\n' "$self"
  fi
  # Sentinels that see the master down in the same millisecond all ask for votes at once, each votes for
  # itself, nobody wins, and the next try comes 2 x failover-timeout later (found by `redisgen drill`: 26 s
  # without writes after a container restart, 3 Sentinels split 2-2-1). The down-after of ordinal N is
  # the rendered one + N x SENTINEL_STAGGER_MILLISECONDS: the Sentinels reach the quorum one after the
  # other, and the first to get there has the others' votes before they can ask for their own. The
  # first Sentinel keeps the rendered value, which min-replicas-max-lag is derived from. Always from the
  # ConfigMap's value, so that a changed profile reaches a kept config too. 250 ms, not more: a Sentinel
  # that saw the master down asks the others once a second, and its ask must not meet the moment a later
  # Sentinel completes the quorum and starts (300 ms made ordinal 0's ask meet ordinal 3's start, 5 pods).
  down_after=$(sentinel_down_after)
  if [ -n "$down_after" ]; then
    printf 'sentinel down-after-milliseconds %s %s\n' "$MASTER_NAME" "$down_after"
  fi
  # It fences a master the Sentinels see down and, on the leader, repoints the replicas at the one it selects
  # (common.sh "write fence").
  printf 'sentinel notification-script %s %s\n' "$MASTER_NAME" "$SCRIPTS_DIR/sentinel-notify.sh"
  auth_lines
}

auth_lines() {
  # ACL users: the Sentinels are user `sentinel` (its commands only); else the one Redis password.
  if [ -n "${ACL_SENTINEL_PASSWORD:-}" ]; then
    printf 'sentinel auth-user %s sentinel\n' "$MASTER_NAME"
    printf 'sentinel auth-pass %s %s\n' "$MASTER_NAME" "$(conf_quote "$ACL_SENTINEL_PASSWORD")"
  elif [ -n "${REDIS_PASSWORD:-}" ]; then
    printf 'sentinel auth-pass %s %s\n' "$MASTER_NAME" "$(conf_quote "$REDIS_PASSWORD")"
  fi
  if [ -n "${SENTINEL_PASSWORD:-}" ]; then
    # Sentinels use their own requirepass to authenticate to each other too.
    printf 'requirepass %s\n' "$(conf_quote "$SENTINEL_PASSWORD")"
  fi
}

# raise_epochs: copies a sentinel.conf (stdin) with its current epoch raised to the floor above where it is
# lower, or added where it is missing.
raise_epochs() {
  awk -v cu="$current_epoch_floor" '
    $1 == "sentinel" && $2 == "current-epoch" { u = 1; if ($3 + 0 < cu + 0) { print "sentinel current-epoch", cu; next } }
    { print }
    END { if (!u && cu + 0 > 0) print "sentinel current-epoch", cu }'
}

# The settings (quorum, down-after, failover-timeout, parallel-syncs, ...) come from the ConfigMap at
# every start, the state (myid, epochs, known replicas and Sentinels) from the kept copy: a changed
# profile reaches running Sentinels when their pods restart (the config checksum rolls them). In ip mode
# the known replicas are the Redis pods at their IPs of now, on a first start too (known_replica_lines).
template() {
  sed -e "s|@MASTER_HOST@|$master_host|g" -e "s|@MASTER_PORT@|$master_port|g" "$CONFIG_DIR/sentinel.conf"
}
if [ -s "$conf" ]; then
  log "reusing the state kept in $conf; settings from $CONFIG_DIR/sentinel.conf"
  changed=""
  for key in quorum failover-timeout parallel-syncs; do
    was=$(sentinel_setting "$conf" "$key")
    now=$(sentinel_setting "$CONFIG_DIR/sentinel.conf" "$key")
    [ "$was" = "$now" ] || changed="$changed${changed:+, }$key $was -> $now"
  done
  [ -z "$changed" ] || log "settings changed by the profile: $changed"
  {
    template
    printf '\n# ---- state kept across restarts by sentinel-start.sh ----\n'
    kept_sentinel_state "$master_host" "$master_port" <"$conf" | raise_epochs
    printf '\n# ---- runtime lines added by sentinel-start.sh ----\n'
    runtime_lines
  } >"$conf.tmp"
else
  log "first start: building $conf from $CONFIG_DIR/sentinel.conf"
  myid=$(printf '%s/%s' "$POD_NAMESPACE" "$POD_NAME" | sha1sum | awk '{ print $1 }')
  {
    template
    printf '\n# ---- runtime lines added by sentinel-start.sh ----\n'
    # A stable id per pod: a restarted Sentinel is the same voter, not a new one.
    printf 'sentinel myid %s\n' "$myid"
    # In ip mode, the Redis pods as its known replicas, as on a restart: a Sentinel whose volume is new, starting
    # while the master is gone, would know none to promote (common.sh known_replica_lines).
    known_replica_lines "$master_host" "$master_port"
    # A Sentinel whose volume was lost joins the others at their epochs (see raise_epochs).
    : | raise_epochs
    runtime_lines
  } >"$conf.tmp"
fi
chmod 600 "$conf.tmp"
mv -f "$conf.tmp" "$conf"

if [ "${SENTINEL_CATCHUP_ENABLED:-true}" = true ]; then
  # A Sentinel that starts while the others already see the master down catches up with them (see the script).
  sh "$SCRIPTS_DIR/sentinel-catchup.sh" &
fi
log "starting redis-sentinel"
exec redis-sentinel "$conf"
