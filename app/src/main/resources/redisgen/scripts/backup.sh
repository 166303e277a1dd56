# shellcheck shell=sh
# backup.sh: the backup CronJob. Fetches a fresh RDB from every master
# (Sentinel: the master the Sentinels name; Cluster: every master with slots;
# standalone: pod 0) with `redis-cli --rdb` into BACKUP_DIR/<name>/, named
# with a UTC timestamp, checks it, and keeps the newest KEEP per source.
# Exit 0 when every backup succeeded, 1 otherwise.
set -u
LOG_TAG=backup
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
LC_ALL=C
export LC_ALL
BACKUP_DIR="${BACKUP_DIR:-/backup}"
KEEP="${KEEP:-7}"
BACKUP_TIMEOUT_SECONDS="${BACKUP_TIMEOUT_SECONDS:-600}"
if [ -z "${BACKUP_MODE:-}" ]; then
  if [ "${SHARDS:-0}" -gt 0 ]; then
    BACKUP_MODE=cluster
  elif [ "$(sentinel_count)" -gt 0 ]; then
    BACKUP_MODE=sentinel
  else
    BACKUP_MODE=standalone
  fi
fi

# sources: one "name host port" line per master to back up.
sources() {
  case "$BACKUP_MODE" in
    sentinel)
      _m=$(sentinel_answers | choose_master)
      if [ -z "$_m" ]; then
        log "no Sentinel named a master for $MASTER_NAME"
        return 1
      fi
      printf '%s %s\n' "$MASTER_NAME" "$(printf '%s\n' "$_m" | awk '{ print $1, $2 }')"
      ;;
    cluster)
      # A shard is named after its first slot range (slots-0-5460): the name
      # outlives failovers, a pod name would not.
      _out=""
      _i=0
      _total=$((${SHARDS:-0} * (1 + ${REPLICAS_PER_SHARD:-1})))
      while [ -z "$_out" ] && [ "$_i" -lt "$_total" ]; do
        _out=$(redis_cli "$(pod_address "$_i")" "$REDIS_PORT" CLUSTER NODES 2>/dev/null) || _out=""
        _i=$((_i + 1))
      done
      if [ -z "${_out:-}" ]; then
        log "no cluster node answered CLUSTER NODES"
        return 1
      fi
      printf '%s\n' "$_out" | tr -d '\r' | awk '
        $3 ~ /master/ && $3 !~ /fail/ && NF >= 9 {
          addr = $2; host = ""
          n = index(addr, ","); if (n > 0) { host = substr(addr, n + 1); addr = substr(addr, 1, n - 1) }
          addr = substr(addr, 1, index(addr, "@") - 1)
          match(addr, /:[0-9]+$/); ip = substr(addr, 1, RSTART - 1); port = substr(addr, RSTART + 1)
          range = $9; if (range !~ /-/) range = range "-" range
          print "slots-" range, (host != "" ? host : ip), port
        }'
      ;;
    standalone)
      printf '%s %s %s\n' "${STATEFULSET}" "$(pod_address 0)" "$REDIS_PORT"
      ;;
    *)
      log "unknown BACKUP_MODE $BACKUP_MODE (sentinel | cluster | standalone)"
      return 1
      ;;
  esac
}

# backup_one NAME HOST PORT
backup_one() {
  _dir="$BACKUP_DIR/$1"
  mkdir -p "$_dir" || return 1
  _file="$_dir/$1-$(date -u '+%Y%m%dT%H%M%SZ').rdb"
  log "backing up $1 from $2:$3 to $_file"
  rm -f "$_file.partial"
  if ! (
    if [ -n "${REDIS_PASSWORD:-}" ]; then
      REDISCLI_AUTH=$REDIS_PASSWORD
      export REDISCLI_AUTH
    fi
    if command -v timeout >/dev/null 2>&1; then
      exec timeout "$BACKUP_TIMEOUT_SECONDS" redis-cli -h "$2" -p "$3" --rdb "$_file.partial"
    else
      exec redis-cli -h "$2" -p "$3" --rdb "$_file.partial"
    fi
  ) >&2; then
    log "redis-cli --rdb failed for $1"
    rm -f "$_file.partial"
    return 1
  fi
  if [ ! -s "$_file.partial" ] || [ "$(dd if="$_file.partial" bs=5 count=1 2>/dev/null)" != REDIS ]; then
    log "$_file is empty or not an RDB file"
    rm -f "$_file.partial"
    return 1
  fi
  mv -f "$_file.partial" "$_file"
  # Keep the newest KEEP: names sort by their UTC timestamp.
  _count=0
  for _f in "$_dir"/*.rdb; do
    [ -e "$_f" ] && _count=$((_count + 1))
  done
  _drop=$((_count - KEEP))
  for _f in "$_dir"/*.rdb; do
    [ "$_drop" -gt 0 ] || break
    log "removing old backup $_f"
    rm -f "$_f"
    _drop=$((_drop - 1))
  done
  return 0
}

list=$(sources) || exit 1
if [ -z "$list" ]; then
  log "nothing to back up"
  exit 1
fi
failed=0
while read -r name host port; do
  backup_one "$name" "$host" "$port" || failed=$((failed + 1))
done <<EOF_SOURCES
$list
EOF_SOURCES
if [ "$failed" -gt 0 ]; then
  log "$failed backup(s) failed"
  exit 1
fi
log "all backups done"
exit 0
