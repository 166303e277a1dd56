# shellcheck shell=sh
# readiness.sh: readiness probe of the Redis container. Ready when PING answers
# PONG (a loading or busy Redis answers an error) and a replica is linked to its
# master (link up, not in the middle of a full sync). A replica that is still
# connecting is not ready: a rolling update must not move on to the next pod,
# and finally stop the master, before this one can take over (found by
# `redisgen drill`, scenario rolling-update); nor should it serve reads it has
# not synced. Exit 0 ready, 1 not ready (reason on stdout).
set -u
LOG_TAG=readiness
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

out=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" PING 2>&1 | tr -d '\r')
if [ "$out" != PONG ]; then
  printf 'not ready: %s\n' "${out:-no answer}"
  exit 1
fi
info=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" INFO replication 2>/dev/null | tr -d '\r')
field() {
  printf '%s\n' "$info" | awk -F: -v f="$1" '$1 == f { print $2 }'
}
if [ "$(field role)" = slave ]; then
  if [ "$(field master_sync_in_progress)" = 1 ]; then
    printf 'not ready: full sync with the master in progress\n'
    exit 1
  fi
  if [ "$(field master_link_status)" != up ]; then
    printf 'not ready: replica of %s:%s, link %s\n' "$(field master_host)" "$(field master_port)" "$(field master_link_status)"
    exit 1
  fi
fi
exit 0
