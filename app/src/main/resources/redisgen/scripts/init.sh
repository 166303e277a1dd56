# shellcheck shell=sh
# init.sh: init container of the Redis and Sentinel StatefulSet pods. Checks the
# mounted config is complete, prepares the kept-state directories on the data
# volume, and waits (bounded by DNS_WAIT_SECONDS) until this pod's stable name
# resolves, so Redis and Sentinel start with their own DNS record in place
# (publishNotReadyAddresses on the headless Service creates it once the pod has
# an IP). Exit 1 with a clear log line when something is missing.
set -eu
LOG_TAG=init
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

if [ ! -s "$CONFIG_DIR/redis.conf" ] && [ ! -s "$CONFIG_DIR/sentinel.conf" ]; then
  log "no redis.conf or sentinel.conf under $CONFIG_DIR: the config ConfigMap is not mounted"
  exit 1
fi
mkdir -p "$DATA_DIR"
if [ "$(sentinel_count)" -gt 0 ]; then
  mkdir -p "$SENTINEL_DIR"
fi
if [ "$ADDRESS_MODE" = hostname ]; then
  # POD_ROLE=sentinel in a separate Sentinel StatefulSet: its name is under the Sentinel headless Service.
  if [ "${POD_ROLE:-redis}" = sentinel ]; then
    wait_for_dns "$(sentinel_self_address)" || exit 1
  else
    wait_for_dns "$(self_address)" || exit 1
  fi
fi
log "ready: config present, $DATA_DIR writable"
