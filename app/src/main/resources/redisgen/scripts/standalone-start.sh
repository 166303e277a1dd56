# shellcheck shell=sh
# standalone-start.sh: entrypoint of a standalone Redis (a Deployment pod: no
# ordinal, no headless name, no Sentinel). Copies the read-only redis.conf into
# the writable RUN_DIR (mode 0600, it holds the password) and execs redis-server.
set -eu
LOG_TAG=standalone-start
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

umask 077
mkdir -p "$RUN_DIR"
conf="$RUN_DIR/redis.conf"
cp "$CONFIG_DIR/redis.conf" "$conf.tmp"
chmod 600 "$conf.tmp"
{
  printf '\n# ---- runtime lines added by standalone-start.sh ----\n'
  auth_conf_lines
} >>"$conf.tmp"
mv -f "$conf.tmp" "$conf"
start_tls_reload
log "starting standalone redis-server"
exec redis-server "$conf"
