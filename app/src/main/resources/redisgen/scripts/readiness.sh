# shellcheck shell=sh
# readiness.sh: readiness probe of the Redis container. Ready when PING answers
# PONG (a loading or busy Redis answers an error) and a replica is not in the
# middle of a full sync. Exit 0 ready, 1 not ready (reason on stdout).
set -u
LOG_TAG=readiness
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

out=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" PING 2>&1 | tr -d '\r')
if [ "$out" != PONG ]; then
  printf 'not ready: %s\n' "${out:-no answer}"
  exit 1
fi
if [ "$(info_field "$LOCAL_REDIS_HOST" "$REDIS_PORT" replication master_sync_in_progress)" = 1 ]; then
  printf 'not ready: full sync with the master in progress\n'
  exit 1
fi
exit 0
