# shellcheck shell=sh
# redis-start.sh: entrypoint of the Redis container (Sentinel topologies and
# the single instance). Builds the runtime redis.conf in RUN_DIR (mode 0600,
# it holds the passwords), decides master or replica, starts the split-brain
# guard and execs redis-server. Exit 1 when its own name never resolves.
set -eu
LOG_TAG=redis-start
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

self=$(self_address)
if [ "$ADDRESS_MODE" = hostname ]; then
  # Replicas announce this name to the master and the Sentinels resolve it:
  # it must exist before anybody is told about it.
  wait_for_dns "$self" || exit 1
fi

# The decision waits while a failover is under way, and a restarted master waits for one while a
# replica may hold newer data (common.sh start_decide).
decision=$(start_decide)
# The mark speaks for the stop before this start only.
rm -f "$STOPPED_AS_MASTER" "$STOPPING"

umask 077
mkdir -p "$RUN_DIR"
conf="$RUN_DIR/redis.conf"
cp "$CONFIG_DIR/redis.conf" "$conf.tmp"
chmod 600 "$conf.tmp"
{
  printf '\n# ---- runtime lines added by redis-start.sh ----\n'
  # What the master lists and the Sentinels connect to: the stable name, or
  # the pod IP (a sidecar proxy or SNAT would otherwise show a wrong source).
  if [ "$ADDRESS_MODE" = hostname ]; then
    printf 'replica-announce-ip %s\n' "$self"
  elif [ -n "${POD_IP:-}" ]; then
    printf 'replica-announce-ip %s\n' "$POD_IP"
  fi
  auth_conf_lines
  case "$decision" in
    replica\ *)
      master_host=$(printf '%s\n' "$decision" | awk '{ print $2 }')
      master_port=$(printf '%s\n' "$decision" | awk '{ print $3 }')
      printf 'replicaof %s %s\n' "$master_host" "$master_port"
      ;;
  esac
} >>"$conf.tmp"
mv -f "$conf.tmp" "$conf"

case "$decision" in
  master) record_master "$self" "$REDIS_PORT" ;;
  *) record_master "$master_host" "$master_port" ;;
esac

if [ "$(sentinel_count)" -gt 0 ] && [ "${GUARD_ENABLED:-true}" = true ]; then
  sh "$SCRIPTS_DIR/split-brain-guard.sh" &
fi

start_tls_reload
log "starting redis-server as $decision"
exec redis-server "$conf"
