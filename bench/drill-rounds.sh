#!/usr/bin/env bash
# The issue's failover target, measured: N rounds (default 10) of scenario 2 (master SIGKILL) and
# scenario 3 (graceful stop through preStop) for every built-in Sentinel profile, one profile after
# the other so their timings do not compete for the CPU. Prints each profile's table; exit 1 when any
# round misses a target (failover within down-after + 3 s, 0 WAIT-confirmed writes lost, 0 moments
# with two masters). Needs root, redis-server, redis-sentinel, ip and unshare (like `redisgen drill`).
# Usage: bench/drill-rounds.sh [ROUNDS] [PROFILE...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-10}"
shift || true
profiles=("$@")
if [ "${#profiles[@]}" -eq 0 ]; then
  profiles=(jewelry-shop gateway-ha airflow)
fi
status=0
for profile in "${profiles[@]}"; do
  echo "## $profile: $rounds rounds of master-kill and master-prestop"
  start=$(date +%s)
  if ! "$root/redisgen" drill --profile "$profile" --scenario master-kill --scenario master-prestop \
    --rounds "$rounds" 2>/dev/null; then
    status=1
  fi
  echo "($(($(date +%s) - start)) s)"
  echo
done
exit "$status"
