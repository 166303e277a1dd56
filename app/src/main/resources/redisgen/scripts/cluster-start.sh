# shellcheck shell=sh
# cluster-start.sh: entrypoint of a Redis Cluster pod. Builds the runtime
# redis.conf (mode 0600) with the pod's announced hostname and IP and the
# passwords, and repairs the addresses in a kept nodes.conf: pods get new IPs
# after a restart, and stale IPs in nodes.conf are the classic reason a
# restarted cluster never comes back. Names that do not resolve yet are left
# to cluster-heal.sh, which it starts beside redis-server: it keeps repairing
# addresses, and brings a node that came back empty into the cluster. Then
# execs redis-server.
set -eu
LOG_TAG=cluster-start
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
NODES_CONF="${NODES_CONF:-$DATA_DIR/nodes.conf}"

self=$(self_address)
if [ "$ADDRESS_MODE" = hostname ]; then
  wait_for_dns "$self" || exit 1
fi
if [ -z "${POD_IP:-}" ]; then
  POD_IP=$(resolve "$self") || {
    log "POD_IP is not set and $self does not resolve"
    exit 1
  }
fi

umask 077
mkdir -p "$RUN_DIR"
conf="$RUN_DIR/redis.conf"
cp "$CONFIG_DIR/redis.conf" "$conf.tmp"
chmod 600 "$conf.tmp"
{
  printf '\n# ---- runtime lines added by cluster-start.sh ----\n'
  printf 'cluster-announce-ip %s\n' "$POD_IP"
  if [ "$ADDRESS_MODE" = hostname ]; then
    printf 'cluster-announce-hostname %s\n' "$self"
  fi
  auth_conf_lines
} >>"$conf.tmp"
mv -f "$conf.tmp" "$conf"

# nodes.conf lines: <id> <ip>:<port>@<cport>[,<hostname>] <flags> ...
# The myself line gets POD_IP; every other node whose hostname resolves now
# gets its current IP (the others keep theirs and are fixed by gossip).
if [ -s "$NODES_CONF" ]; then
  map="$RUN_DIR/nodes-map.tmp"
  : >"$map"
  awk '$1 != "vars" { n = index($2, ","); if (n > 0) print substr($2, n + 1) }' "$NODES_CONF" |
    while read -r host; do
      if ip=$(resolve "$host"); then
        printf '%s %s\n' "$host" "$ip" >>"$map"
      fi
    done
  awk -v self_ip="$POD_IP" '
    FILENAME == ARGV[1] { ip[$1] = $2; next }
    $1 == "vars" || NF < 3 { print; next }
    {
      addr = $2; host = ""
      n = index(addr, ",")
      if (n > 0) { host = substr(addr, n + 1); addr = substr(addr, 1, n - 1) }
      at = index(addr, "@"); if (at == 0) { print; next }
      ipport = substr(addr, 1, at - 1); bus = substr(addr, at)
      if (!match(ipport, /:[0-9]+$/)) { print; next }
      old = substr(ipport, 1, RSTART - 1); port = substr(ipport, RSTART)
      new = old
      if ($3 ~ /(^|,)myself(,|$)/) new = self_ip
      else if (host != "" && (host in ip)) new = ip[host]
      if (new != old) {
        $2 = new port bus (host != "" ? "," host : "")
        changed++
      }
      print
    }
    END { if (changed) printf "%d address(es) updated\n", changed > "/dev/stderr" }
  ' "$map" "$NODES_CONF" >"$NODES_CONF.tmp"
  mv -f "$NODES_CONF.tmp" "$NODES_CONF"
  rm -f "$map"
  log "nodes.conf addresses refreshed (myself: $POD_IP)"
fi

# The liveness clock (cluster-liveness.sh) speaks for the process before this start only.
rm -f "$RUN_DIR/out-of-cluster-since"
if [ "${HEAL_ENABLED:-true}" = true ]; then
  # This shell's pid becomes redis-server's (exec): the healer ends with it.
  HEAL_PARENT=$$ sh "$SCRIPTS_DIR/cluster-heal.sh" &
fi

start_tls_reload
log "starting redis-server (cluster node, announce $POD_IP${self:+ / $self})"
exec redis-server "$conf"
