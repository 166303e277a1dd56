# shellcheck shell=sh
# tls-reload.sh of the write endpoint (HAProxy 2.6+, master-worker mode): with TLS the proxy container's command
# (HaproxyConf.TLS_START) builds the PEM HAProxy reads (certificate and key in one file, HAPROXY_PEM, in its emptyDir),
# starts HAProxy and then this in the background with HAProxy's master PID, and stays the container's first process.
# Kubernetes updates a mounted Secret by swapping a symlink, so a renewed certificate appears at the same paths (TLS_DIR);
# HAProxy reads the PEM and the CA only when a process starts. Every TLS_RELOAD_SECONDS this compares the files with the
# ones loaded and, when they changed, rebuilds the PEM (a new file renamed over the old: never half written) and sends
# the master SIGUSR2: a seamless reload. A new worker starts with the new certificate (frontends and the client
# certificate of the checks) and takes the listening sockets; the old worker stops accepting and keeps serving the
# connections it has until they close. No socket, no network listener: a signal to a process of the same container.
# Exits when the master is gone.
set -u
master=$1
TLS_DIR=${TLS_DIR:-/tls}
PEM=${HAPROXY_PEM:-/tmp/tls/tls.pem}

log() {
  printf '%s tls-reload[haproxy]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

fingerprint() {
  cat "$TLS_DIR/tls.crt" "$TLS_DIR/tls.key" "$TLS_DIR/ca.crt" 2>/dev/null | cksum | awk '{ print $1 "-" $2 }'
}

loaded=$(fingerprint)
while kill -0 "$master" 2>/dev/null; do
  sleep "${TLS_RELOAD_SECONDS:-10}"
  now=$(fingerprint) || continue
  if [ -z "$now" ] || [ "$now" = "$loaded" ]; then
    continue
  fi
  # Files swapped between the fingerprint and this read: the PEM has the newer ones, and the next round, seeing a
  # fingerprint other than loaded, builds and reloads once more.
  if (umask 077 && cat "$TLS_DIR/tls.crt" "$TLS_DIR/tls.key" >"$PEM.new") && mv -f "$PEM.new" "$PEM"; then
    kill -USR2 "$master"
    log "certificate files in $TLS_DIR changed: $PEM rebuilt, HAProxy reloaded (SIGUSR2 to $master)"
    loaded=$now
  else
    log "rebuilding $PEM from $TLS_DIR failed; trying again"
  fi
done
