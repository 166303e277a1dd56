# shellcheck shell=sh
# liveness.sh: liveness probe of the Redis container. Alive when PING gets any
# Redis answer: PONG, or LOADING / BUSY / MASTERDOWN (working, just not ready;
# killing it would only restart the load). Exit 0 alive, 1 not.
set -u
LOG_TAG=liveness
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

out=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" PING 2>&1 | tr -d '\r')
case "$out" in
  PONG | LOADING* | BUSY* | MASTERDOWN*) exit 0 ;;
esac
printf 'not alive: %s\n' "${out:-no answer}"
exit 1
