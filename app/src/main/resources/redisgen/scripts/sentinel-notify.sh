#!/bin/sh
# shellcheck shell=sh
# sentinel-notify.sh: the Sentinel's notification-script (sentinel-start.sh sets
# it; Sentinel execs it, hence the #! line). Sentinel runs it with EVENT and
# DESCRIPTION for every warning-level event; this script acts on one:
#   +sdown master MASTER_NAME HOST PORT
# This Sentinel has seen the master down for down-after. It may only be frozen
# (SIGSTOP, a paused VM, a stuck disk) and resume after a replica was promoted,
# with clients still connected to it and replicas still attached (common.sh
# "write fence"). So it fences the master: CONFIG SET min-replicas-to-write
# FENCE_REPLICAS, sent now and applied by a frozen master as it resumes, before
# it can acknowledge another write. The split-brain guard of that pod lifts the
# fence once the Sentinels agree it is still the master, or once it is a replica.
# A dead master refuses the connection: nothing to do. Always exits 0 (Sentinel
# retries a script that exits 1); Sentinel kills a script after 60 s.
set -u
LOG_TAG=sentinel-notify
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

event=${1:-}
set -f
# shellcheck disable=SC2086 # split the description into words on purpose
set -- ${2:-}
set +f
if [ "$event" != +sdown ] || [ "${1:-}" != master ] || [ "${2:-}" != "$MASTER_NAME" ] || [ "$#" -lt 4 ]; then
  exit 0
fi
host=$3
port=$4
log "master $host:$port is down for this Sentinel: fencing it (min-replicas-to-write $FENCE_REPLICAS) in case it is only frozen"
# Wait for the answer for up to 55 s: a frozen master answers only when it resumes. Past that the
# command stays queued on the closed connection and is still applied when the master reads it.
out=$(REDIS_CLI_TIMEOUT=55 redis_cli "$host" "$port" CONFIG SET min-replicas-to-write "$FENCE_REPLICAS" 2>&1)
case "$out" in
  OK) log "fenced $host:$port" ;;
  *) log "fence not applied to $host:$port: ${out:-no answer} (a master that is gone needs none)" ;;
esac
exit 0
