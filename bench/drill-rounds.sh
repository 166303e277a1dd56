#!/usr/bin/env bash
# The drill's targets, measured over many rounds: N rounds (default 10) of each scenario in SCENARIOS
# (default: master-kill master-prestop rolling-update; `SCENARIOS=faults` for the Kubernetes faults
# 9-14 and 18: container-restart oom-kill freeze pod-freeze replica-restart dead-master-dns split-vote) for every
# profile given (default: the built-in Sentinel profiles), one profile after the other so their
# timings do not compete for the CPU. A profile is a built-in name or a file, e.g. the 5 Redis +
# 5 Sentinel shape app/src/test/resources/drill/five-pods.yaml. SEED fixes the random timing choices.
# Prints each profile's table; exit 1 when any round misses a target (failover within down-after
# + 3 s, 0 WAIT-confirmed writes lost by any client, 0 moments with two masters). The pods' logs
# are kept (the table's last notes say where) so that a missed round can be read. Needs
# redis-server, redis-sentinel, haproxy, ip and unshare, and root or user namespaces (like
# `redisgen drill`).
# `SCENARIOS=cluster` runs the Redis Cluster scenarios (master-kill master-prestop reboot volume-wipe partition
# backup-restore scale) for cluster profiles, e.g. `SCENARIOS=cluster bench/drill-rounds.sh 10 analytics-cluster`.
# Usage: [SCENARIOS="s1 s2"|faults|cluster] [SEED=n] bench/drill-rounds.sh [ROUNDS] [PROFILE...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-10}"
shift || true
profiles=("$@")
if [ "${#profiles[@]}" -eq 0 ]; then
  profiles=(jewelry-shop gateway-ha airflow)
fi
scenarios="${SCENARIOS:-master-kill master-prestop rolling-update}"
if [ "$scenarios" = cluster ]; then
  # Redis Cluster profiles (e.g. analytics-cluster, app/src/test/resources/drill/cluster-4x2.yaml)
  scenarios="master-kill master-prestop reboot volume-wipe partition backup-restore scale"
elif [ "$scenarios" = faults ]; then
  scenarios="container-restart oom-kill freeze pod-freeze replica-restart dead-master-dns split-vote"
fi
args=()
for s in $scenarios; do
  args+=(--scenario "$s")
done
if [ -n "${SEED:-}" ]; then
  args+=(--seed "$SEED")
fi
status=0
"$root/redisgen" --version >/dev/null # builds the jar when it is missing or stale
for profile in "${profiles[@]}"; do
  echo "## $profile: $rounds rounds of $scenarios"
  start=$(date +%s)
  if ! java -Dredisgen.drill.keep=true -jar "$root/app/target/redisgen.jar" drill --profile "$profile" \
    "${args[@]}" --rounds "$rounds" 2>/dev/null; then
    status=1
  fi
  echo "($(($(date +%s) - start)) s)"
  echo
done
exit "$status"
