# shellcheck shell=sh
# cluster-restore.sh: the restore Job `redisgen restore` renders. Brings a
# backup written by backup.sh (BACKUP_DIR/RESTORE_FROM: "hourly/20240102T020000Z",
# or "hourly/latest" for the newest) into a running cluster, normally a fresh
# one, through the cluster itself: each shard's RDB is loaded by a private
# redis-server in this pod (no AOF, no cluster, no password, loopback only),
# and a Lua script run there copies every key (value and TTL) with MIGRATE to
# the master that owns its slot now, a SCAN batch at a time. The cluster's
# nodes write the keys to their own AOF and RDB like any write: copying a
# dump.rdb into /data instead loads nothing on a node with appendonly yes,
# which starts from its AOF. The target may have another shape (shards) than
# the backed-up cluster. (redis-cli --cluster import would do the same, but
# it splits the password on spaces when it adds it to MIGRATE.)
# Refuses a cluster that holds keys unless RESTORE_REPLACE=true (keys from the
# backup then replace those of the same name). Exit 0 when every key of the
# backup (except those whose TTL ran out meanwhile) is in the cluster, 1 otherwise.
set -u
LOG_TAG=restore
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
LC_ALL=C
export LC_ALL
BACKUP_DIR="${BACKUP_DIR:-/backup}"
RESTORE_FROM="${RESTORE_FROM:-}"
RESTORE_REPLACE="${RESTORE_REPLACE:-false}"
RESTORE_LOCAL_HOST="${RESTORE_LOCAL_HOST:-127.0.0.1}"
RESTORE_LOCAL_PORT="${RESTORE_LOCAL_PORT:-6390}"
RESTORE_WAIT_SECONDS="${RESTORE_WAIT_SECONDS:-600}"
RESTORE_LOAD_SECONDS="${RESTORE_LOAD_SECONDS:-3600}"
RESTORE_BATCH="${RESTORE_BATCH:-1000}"
RESTORE_BATCH_SECONDS="${RESTORE_BATCH_SECONDS:-600}"

fail() {
  log "$*"
  exit 1
}

# ---- the backup
case "$RESTORE_FROM" in
  */*) ;;
  *) fail "RESTORE_FROM '$RESTORE_FROM' must be SCHEDULE/TIME or SCHEDULE/latest (e.g. daily/latest)" ;;
esac
kind=${RESTORE_FROM%%/*}
which=${RESTORE_FROM#*/}
case "$kind$which" in
  *..* | */*) fail "RESTORE_FROM '$RESTORE_FROM' is not a backup name" ;;
esac
if [ "$which" = latest ]; then
  which=""
  for d in "$BACKUP_DIR/$kind"/2*; do
    [ -f "$d/MANIFEST" ] && which=${d##*/}
  done
  [ -n "$which" ] || fail "no complete backup in $BACKUP_DIR/$kind"
fi
folder="$BACKUP_DIR/$kind/$which"
manifest="$folder/MANIFEST"
[ -f "$manifest" ] || fail "$folder holds no MANIFEST: not a complete backup (ls $BACKUP_DIR/$kind)"
mode=$(awk '$1 == "mode" { print $2 }' "$manifest")
[ "$mode" = cluster ] || fail "$folder is a backup of a $mode deployment, not of a cluster"
files=$(awk '$1 == "file" { print $2 }' "$manifest")
[ -n "$files" ] || fail "$manifest lists no file"
log "restoring $kind/$which: $(printf '%s\n' "$files" | tr '\n' ' ')"
for f in $files; do
  [ -s "$folder/$f" ] || fail "$folder/$f is missing or empty"
  want=$(awk -v f="$f" '$1 == "file" && $2 == f { for (i = 3; i <= NF; i++) if ($i ~ /^sha256=/) print substr($i, 8) }' "$manifest")
  if [ -n "$want" ] && [ "$want" != - ] && command -v sha256sum >/dev/null 2>&1; then
    [ "$(sha256sum "$folder/$f" | awk '{ print $1 }')" = "$want" ] || fail "$folder/$f does not match its sha256 in the MANIFEST"
  fi
done

# ---- the cluster: a node that reports cluster_state:ok with every slot served
entry=""
waited=0
while [ -z "$entry" ]; do
  while read -r _o h p; do
    ip=$(resolve "$h") || continue
    if [ "$(cluster_info_field "$ip" "$p" cluster_state)" = ok ] &&
      [ "$(cluster_info_field "$ip" "$p" cluster_slots_assigned)" = 16384 ]; then
      entry="$ip:$p"
      break
    fi
  done <<EOF_PODS
$(cluster_pods)
EOF_PODS
  [ -n "$entry" ] && break
  [ "$waited" -lt "$RESTORE_WAIT_SECONDS" ] || fail "no cluster node reported cluster_state:ok within ${RESTORE_WAIT_SECONDS}s"
  [ "$waited" -gt 0 ] || log "waiting for the cluster (cluster_state:ok, 16384 slots)"
  sleep 2
  waited=$((waited + 2))
done

# cluster_keys: the keys held by the cluster's masters.
cluster_keys() {
  cluster_view "${entry%:*}" "${entry##*:}" | awk '$6 ~ /master/ && $6 !~ /fail/ && $9 != "-" { print $2, $3 }' | {
    _sum=0
    while read -r _ip _p; do
      _n=$(redis_cli "$_ip" "$_p" DBSIZE 2>/dev/null | tr -d '\r')
      case "$_n" in '' | *[!0-9]*) return 1 ;; esac
      _sum=$((_sum + _n))
    done
    printf '%s\n' "$_sum"
  }
}
before=$(cluster_keys) || fail "a master did not answer DBSIZE"
if [ "$before" -gt 0 ] && [ "$RESTORE_REPLACE" != true ]; then
  fail "the cluster already holds $before keys: restore into a fresh cluster, or set RESTORE_REPLACE=true (redisgen restore --replace) to overwrite keys of the same name"
fi

# ---- each shard's RDB through a private redis-server
local_cli() {
  _cli "" "$RESTORE_LOCAL_HOST" "$RESTORE_LOCAL_PORT" "$@"
}
# MIGRATE_LUA: one SCAN batch of the private server (ARGV: cursor, slot map "lo-hi=ip:port;...", count,
# ACL user (empty: the default user), password), each key sent with MIGRATE COPY REPLACE (value and TTL)
# to the master of its slot (CRC16 of the key or of its {hash tag}, mod 16384). Returns the next cursor and the number of keys sent.
MIGRATE_LUA='
local function crc16(s)
  local crc = 0
  for i = 1, #s do
    crc = bit.bxor(crc, bit.lshift(string.byte(s, i), 8))
    for _ = 1, 8 do
      if bit.band(crc, 0x8000) ~= 0 then
        crc = bit.band(bit.bxor(bit.lshift(crc, 1), 0x1021), 0xffff)
      else
        crc = bit.band(bit.lshift(crc, 1), 0xffff)
      end
    end
  end
  return crc
end
local function slot(k)
  local s = string.find(k, "{", 1, true)
  if s then
    local e = string.find(k, "}", s + 1, true)
    if e and e > s + 1 then k = string.sub(k, s + 1, e - 1) end
  end
  return crc16(k) % 16384
end
local ranges = {}
for lo, hi, ip, port in string.gmatch(ARGV[2], "(%d+)-(%d+)=([^:;]+):(%d+)") do
  ranges[#ranges + 1] = {tonumber(lo), tonumber(hi), ip, port}
end
local page = redis.call("SCAN", ARGV[1], "COUNT", ARGV[3])
local groups, order = {}, {}
for _, k in ipairs(page[2]) do
  local s, t = slot(k), nil
  for _, g in ipairs(ranges) do
    if s >= g[1] and s <= g[2] then t = g[3] .. ":" .. g[4] break end
  end
  if not t then return redis.error_reply("no master serves slot " .. s) end
  if not groups[t] then groups[t] = {} order[#order + 1] = t end
  table.insert(groups[t], k)
end
local sent = 0
for _, t in ipairs(order) do
  local ip, port = string.match(t, "^(.*):(%d+)$")
  local args = {"MIGRATE", ip, port, "", 0, 60000, "COPY", "REPLACE"}
  if ARGV[5] ~= "" and ARGV[4] ~= "" then table.insert(args, "AUTH2") table.insert(args, ARGV[4]) table.insert(args, ARGV[5])
  elseif ARGV[5] ~= "" then table.insert(args, "AUTH") table.insert(args, ARGV[5]) end
  table.insert(args, "KEYS")
  for _, k in ipairs(groups[t]) do table.insert(args, k) end
  local res = redis.pcall(unpack(args))
  if type(res) == "table" and res.err then return redis.error_reply("MIGRATE to " .. t .. ": " .. res.err) end
  sent = sent + #groups[t]
end
return {page[1], sent}
'

# copy_keys: every key of the private server into the cluster, a batch of RESTORE_BATCH keys at a time.
# The password reaches the script on redis-cli's stdin (-x: the last argument), never on a command line.
copy_keys() {
  _map=$(cluster_view "${entry%:*}" "${entry##*:}" | awk '$6 ~ /master/ && $6 !~ /fail/ && $9 != "-" {
    n = split($9, r, ","); for (i = 1; i <= n; i++) printf "%s=%s:%s;", r[i], $2, $3 }')
  [ -n "$_map" ] || return 1
  _cursor=0
  _sent=0
  while :; do
    _out=$(printf '%s' "${REDIS_PASSWORD:-}" |
      (cli_exec "$RESTORE_BATCH_SECONDS" -e -h "$RESTORE_LOCAL_HOST" -p "$RESTORE_LOCAL_PORT" -x EVAL "$MIGRATE_LUA" 0 "$_cursor" "$_map" "$RESTORE_BATCH" "${REDIS_USER:-}") 2>&1) || {
      log "copy failed after $_sent keys: $(printf '%s' "$_out" | tr -d '\r' | tr '\n' ' ')"
      return 1
    }
    _cursor=$(printf '%s\n' "$_out" | tr -d '\r' | sed -n 1p)
    _sent=$((_sent + $(printf '%s\n' "$_out" | tr -d '\r' | sed -n 2p)))
    [ "$_cursor" != 0 ] || break
  done
  log "  $_sent keys sent"
}

loaded=0
expiring=0
for f in $files; do
  # No AOF (the trap this Job exists for), no snapshots, no cluster: it only reads the file.
  # With TLS it listens with TLS (as local_cli speaks it) and MIGRATE reaches the cluster over TLS (tls-cluster).
  if [ -n "${TLS_DIR:-}" ]; then
    redis-server --bind "$RESTORE_LOCAL_HOST" --port 0 --tls-port "$RESTORE_LOCAL_PORT" --tls-cert-file "$TLS_DIR/tls.crt" \
      --tls-key-file "$TLS_DIR/tls.key" --tls-ca-cert-file "$TLS_DIR/ca.crt" --tls-cluster yes --dir "$folder" --dbfilename "$f" \
      --appendonly no --save '' --cluster-enabled no --protected-mode yes --daemonize no --logfile '' >&2 &
  else
    redis-server --bind "$RESTORE_LOCAL_HOST" --port "$RESTORE_LOCAL_PORT" --dir "$folder" --dbfilename "$f" \
      --appendonly no --save '' --cluster-enabled no --protected-mode yes --daemonize no --logfile '' >&2 &
  fi
  server=$!
  t=0
  until [ "$(local_cli PING 2>/dev/null | tr -d '\r')" = PONG ]; do
    kill -0 "$server" 2>/dev/null || fail "redis-server could not load $f"
    [ "$t" -lt "$RESTORE_LOAD_SECONDS" ] || fail "$f did not load within ${RESTORE_LOAD_SECONDS}s"
    sleep 1
    t=$((t + 1))
  done
  keys=$(local_cli DBSIZE | tr -d '\r')
  exp=$(local_cli INFO keyspace | tr -d '\r' | awk -F'[:,=]' '$1 == "db0" { for (i = 2; i < NF; i += 2) if ($i == "expires") print $(i + 1) }')
  log "$f: $keys keys (${exp:-0} with a TTL); copying them into the cluster"
  copy_keys || {
    local_cli SHUTDOWN NOSAVE >/dev/null 2>&1
    fail "copying the keys of $f failed"
  }
  local_cli SHUTDOWN NOSAVE >/dev/null 2>&1
  wait "$server" 2>/dev/null
  loaded=$((loaded + keys))
  expiring=$((expiring + ${exp:-0}))
done

after=$(cluster_keys) || fail "a master did not answer DBSIZE"
missing=$((before + loaded - after))
if [ "$RESTORE_REPLACE" != true ] && [ "$missing" -gt "$expiring" ]; then
  fail "the backup held $loaded keys, the cluster gained $((after - before)): $missing missing"
fi
log "restored $kind/$which: $loaded keys from $(printf '%s\n' "$files" | awk 'END { print NR }') file(s); the cluster holds $after keys"
exit 0
