# shellcheck shell=sh
# backup.sh: the backup CronJobs. Fetches a fresh RDB from every master
# (Sentinel: the master the Sentinels name; Cluster: every master with slots,
# one file per shard named after its slot ranges; standalone: pod 0) with
# `redis-cli --rdb`, checks it, and writes a MANIFEST beside the files:
#   BACKUP_DIR/BACKUP_NAME/<UTC time>/{<source>.rdb..., MANIFEST}
# Each schedule (BACKUP_NAME: hourly, daily...) has its own folder and keeps
# its own newest KEEP backups: schedules never delete or overwrite each other's
# files, even when they run in the same second. A backup is written under a
# hidden .partial name and renamed when complete, so a folder that exists is a
# whole backup. Exit 0 when the backup is complete, 1 otherwise.
set -u
LOG_TAG=backup
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
LC_ALL=C
export LC_ALL
BACKUP_DIR="${BACKUP_DIR:-/backup}"
BACKUP_NAME="${BACKUP_NAME:-manual}"
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
case "$BACKUP_NAME" in
  '' | .* | *[!A-Za-z0-9._-]*)
    log "BACKUP_NAME '$BACKUP_NAME' is not a folder name (letters, digits, . _ -)"
    exit 1
    ;;
esac

# slot_name RANGES: the file name of a shard, from its comma-separated ranges: slots-0-5460, or
# slots-0-100_200-5460 for several; very fragmented shards keep the first range and the count.
slot_name() {
  _sn="slots-$(printf '%s' "$1" | tr ',' '_')"
  if [ "${#_sn}" -gt 120 ]; then
    _sn="slots-${1%%,*}-and-$(printf '%s\n' "$1" | tr ',' '\n' | awk 'END { print NR - 1 }')-more-ranges"
  fi
  printf '%s\n' "$_sn"
}

# sources: one "name host port node slots" line per master to back up ("-" where it does not apply).
sources() {
  case "$BACKUP_MODE" in
    sentinel)
      _m=$(sentinel_answers | choose_master)
      if [ -z "$_m" ]; then
        log "no Sentinel named a master for $MASTER_NAME"
        return 1
      fi
      printf '%s %s - -\n' "$MASTER_NAME" "$(printf '%s\n' "$_m" | awk '{ print $1, $2 }')"
      ;;
    cluster)
      # The shards from the first node that answers with cluster_state:ok (another node's view may be stale).
      _view=""
      _fallback=""
      while read -r _o _h _p; do
        _ip=$(resolve "$_h") || continue
        _v=$(cluster_view "$_ip" "$_p") || continue
        if [ "$(cluster_info_field "$_ip" "$_p" cluster_state)" = ok ]; then
          _view=$_v
          break
        fi
        [ -n "$_fallback" ] || _fallback=$_v
      done <<EOF_PODS
$(cluster_pods)
EOF_PODS
      _view=${_view:-$_fallback}
      if [ -z "$_view" ]; then
        log "no cluster node answered CLUSTER NODES"
        return 1
      fi
      printf '%s\n' "$_view" | awk '$6 ~ /master/ && $9 != "-" && $6 ~ /fail/ { print "master " $1 " holding " $9 " is failing" }' |
        while read -r _line; do log "$_line"; done
      _covered=$(printf '%s\n' "$_view" | awk '$6 ~ /master/ && $6 !~ /fail/ && $9 != "-" {
        n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); c += b[2] - b[1] + 1 } } END { print c + 0 }')
      if [ "$_covered" != 16384 ]; then
        log "live masters hold $_covered of 16384 slots: a backup now would miss keys"
        return 1
      fi
      printf '%s\n' "$_view" | awk '$6 ~ /master/ && $6 !~ /fail/ && $9 != "-" { print $9, $2, $3, $1 }' |
        while read -r _slots _ip _port _id; do
          printf '%s %s %s %s %s\n' "$(slot_name "$_slots")" "$_ip" "$_port" "$_id" "$_slots"
        done
      ;;
    standalone)
      printf '%s %s %s - -\n' "${STATEFULSET}" "$(pod_address 0)" "$REDIS_PORT"
      ;;
    *)
      log "unknown BACKUP_MODE $BACKUP_MODE (sentinel | cluster | standalone)"
      return 1
      ;;
  esac
}

# backup_one NAME HOST PORT NODE SLOTS: NAME.rdb in $work; prints its MANIFEST line.
backup_one() {
  _file="$work/$1.rdb"
  _ip=$(resolve "$2") || {
    log "cannot resolve $2"
    return 1
  }
  _keys=$(redis_cli "$_ip" "$3" DBSIZE 2>/dev/null | tr -d '\r')
  log "backing up $1 from $2:$3"
  if ! (
    if [ -n "${REDIS_PASSWORD:-}" ]; then
      REDISCLI_AUTH=$REDIS_PASSWORD
      export REDISCLI_AUTH
    fi
    cli_exec "$BACKUP_TIMEOUT_SECONDS" ${REDIS_USER:+--user "$REDIS_USER"} -h "$_ip" -p "$3" --rdb "$_file"
  ) >&2; then
    log "redis-cli --rdb failed for $1"
    return 1
  fi
  if [ ! -s "$_file" ] || [ "$(dd if="$_file" bs=5 count=1 2>/dev/null)" != REDIS ]; then
    log "$_file is empty or not an RDB file"
    return 1
  fi
  _bytes=$(wc -c <"$_file" | tr -d ' ')
  _sum=-
  if command -v sha256sum >/dev/null 2>&1; then
    _sum=$(sha256sum "$_file" | awk '{ print $1 }')
  fi
  printf 'file %s.rdb slots=%s node=%s source=%s:%s keys=%s bytes=%s sha256=%s\n' \
    "$1" "$5" "$4" "$2" "$3" "${_keys:-unknown}" "$_bytes" "$_sum"
}

kind_dir="$BACKUP_DIR/$BACKUP_NAME"
mkdir -p "$kind_dir" || exit 1
stamp=$(date -u '+%Y%m%dT%H%M%SZ')
name=$stamp
n=1
while [ -e "$kind_dir/$name" ] || ! mkdir "$kind_dir/.$name.partial" 2>/dev/null; do
  n=$((n + 1))
  name="$stamp-$n"
  if [ "$n" -gt 50 ]; then
    log "cannot create a folder in $kind_dir"
    exit 1
  fi
done
work="$kind_dir/.$name.partial"
trap 'rm -rf "$work"' EXIT

list=$(sources) || exit 1
if [ -z "$list" ]; then
  log "nothing to back up"
  exit 1
fi
{
  printf '# redisgen backup: one RDB per source (file lines); redisgen restore renders the Job that restores it\n'
  printf 'format 1\nbackup %s\ncreated %s\nmode %s\nsources %s\n' "$BACKUP_NAME" "$stamp" "$BACKUP_MODE" \
    "$(printf '%s\n' "$list" | awk 'END { print NR }')"
} >"$work/MANIFEST"
# Every source at once: a backup of several shards is as close to one moment as the slowest copy allows
# (and the master's repl-diskless-sync-delay is waited for once, not once per shard).
pids=""
i=0
while read -r src host port node slots; do
  i=$((i + 1))
  (
    backup_one "$src" "$host" "$port" "$node" "$slots" >"$work/.line-$i" || exit 1
  ) </dev/null &
  pids="$pids $!"
done <<EOF_SOURCES
$list
EOF_SOURCES
failed=0
for pid in $pids; do
  wait "$pid" || failed=$((failed + 1))
done
cat "$work"/.line-* 2>/dev/null | sort -t= -k2,2n >>"$work/MANIFEST"
rm -f "$work"/.line-*
if [ "$failed" -gt 0 ]; then
  log "$failed of $(printf '%s\n' "$list" | awk 'END { print NR }') source(s) failed; no backup $BACKUP_NAME/$name written"
  exit 1
fi
mv "$work" "$kind_dir/$name" || exit 1
trap - EXIT
log "backup $BACKUP_NAME/$name complete: $(awk '$1 == "file" { printf "%s%s", sep, $2; sep = ", " }' "$kind_dir/$name/MANIFEST")"

# Keep the newest KEEP of this schedule: names sort by their UTC time. Leftovers of runs interrupted
# longer ago than a run may last go too.
find "$kind_dir" -maxdepth 1 -name '.*.partial' -type d -mmin +$((BACKUP_TIMEOUT_SECONDS / 60 + 5)) -exec rm -rf {} + 2>/dev/null
count=0
for d in "$kind_dir"/2*; do
  [ -d "$d" ] && count=$((count + 1))
done
drop=$((count - KEEP))
for d in "$kind_dir"/2*; do
  [ "$drop" -gt 0 ] || break
  [ -d "$d" ] || continue
  log "removing old backup $d"
  rm -rf "$d"
  drop=$((drop - 1))
done
exit 0
