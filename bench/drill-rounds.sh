#!/usr/bin/env bash
# The issue's failover target, measured: N rounds (default 10) of scenario 2 (master SIGKILL),
# scenario 3 (graceful stop through preStop) and scenario 8 (rolling update, every pod with a new IP)
# for every built-in Sentinel profile, one profile after the other so their timings do not compete
# for the CPU. Prints each profile's table; exit 1 when any round misses a target (failover within
# down-after + 3 s, 0 WAIT-confirmed writes lost, 0 moments with two masters). The pods' logs are kept
# (the table's last notes say where) so that a missed round can be read. Needs redis-server,
# redis-sentinel, ip and unshare, and root or user namespaces (like `redisgen drill`).
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
  echo "## $profile: $rounds rounds of master-kill, master-prestop and rolling-update"
  start=$(date +%s)
  "$root/redisgen" --version >/dev/null # builds the jar when it is missing or stale
  if ! java -Dredisgen.drill.keep=true -jar "$root/app/target/redisgen.jar" drill --profile "$profile" \
    --scenario master-kill --scenario master-prestop --scenario rolling-update --rounds "$rounds" 2>/dev/null; then
    status=1
  fi
  echo "($(($(date +%s) - start)) s)"
  echo
done
exit "$status"
