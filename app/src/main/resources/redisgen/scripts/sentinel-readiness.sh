# shellcheck shell=sh
# sentinel-readiness.sh: readiness (and liveness) probe of the Sentinel
# container. Ready when PING answers PONG and the Sentinel knows the master of
# MASTER_NAME. Exit 0 ready, 1 not ready (reason on stdout).
set -u
LOG_TAG=sentinel-readiness
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

out=$(sentinel_cli "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" PING 2>&1 | tr -d '\r')
if [ "$out" != PONG ]; then
  printf 'not ready: %s\n' "${out:-no answer}"
  exit 1
fi
if ! sentinel_query "$LOCAL_SENTINEL_HOST" "$SENTINEL_PORT" >/dev/null; then
  printf 'not ready: no master known for %s\n' "$MASTER_NAME"
  exit 1
fi
exit 0
