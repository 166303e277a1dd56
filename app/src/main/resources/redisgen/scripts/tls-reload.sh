# shellcheck shell=sh
# tls-reload.sh: runs in the background of the Redis container when the pod speaks TLS (started by the start
# scripts through common.sh start_tls_reload, TLS_LOADED: the fingerprint of the files redis-server starts with).
# Kubernetes updates a mounted Secret by swapping a symlink, so a renewed certificate (cert-manager renews it
# renewBefore its expiry) appears at the same paths; Redis reads them only at start or on CONFIG SET
# tls-cert-file / tls-key-file / tls-ca-cert-file, even with the same paths (Redis 7). Every TLS_RELOAD_SECONDS this
# compares the files with the ones loaded and, when they changed, sets the three paths again in one CONFIG SET:
# established connections keep their session, new handshakes get the new certificate; no restart, no failover.
# A CONFIG SET that fails (a key that does not match its certificate yet) is tried again at the next round.
# Exits when redis-server (its parent, which the start script became) is gone.
set -u
LOG_TAG=tls-reload
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

parent=$PPID
loaded=${TLS_LOADED:-}
while kill -0 "$parent" 2>/dev/null; do
  sleep "${TLS_RELOAD_SECONDS:-10}"
  now=$(tls_fingerprint) || continue
  if [ -z "$now" ] || [ "$now" = "$loaded" ]; then
    continue
  fi
  out=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CONFIG SET tls-cert-file "$TLS_DIR/tls.crt" \
    tls-key-file "$TLS_DIR/tls.key" tls-ca-cert-file "$TLS_DIR/ca.crt" 2>&1 | tr -d '\r')
  if [ "$out" = OK ]; then
    log "reloaded the certificate files in $TLS_DIR (changed on disk)"
    loaded=$now
  else
    log "reloading the certificate files in $TLS_DIR failed: ${out:-no answer}; trying again"
  fi
done
