#!/usr/bin/env bash
# shellcheck disable=SC2016 # the backquotes in the printf formats are Markdown, not command substitutions
# Times cold `./redisgen render` runs through the launcher, as a user runs them, and prints Markdown tables. Not a test.
#
#   bench/render-bench.sh [RUNS]          RUNS paired runs per row (default 11)
#   BATCH="10 100 1000" BATCH_RUNS=3      the batch sizes and their runs (BATCH= for none)
#   FIRST_BUILD=1                         also time the first `./redisgen --version` of a fresh clone (mvn, no tests)
#
# For every installed JDK (17 or later, in /usr/lib/jvm and on PATH; the launcher is told which with REDISGEN_JAVA) and
# every built-in profile: medians of CPU (user + system), wall time and peak RSS over RUNS runs, each run paired with a
# run of `java -version` of the same JVM with the same flags (bench/paired.py), so that the ratios survive a noisy
# machine. Then the per-phase breakdown of a render of gateway-ha (REDISGEN_PHASES=1), and batches: one process
# rendering N profiles (generated from the built-ins, each with its own name and namespace) to stdout.
#
# The helm columns divide by helm template's figures from issue 12 (bitnami/redis 23.1.1, Sentinel, measured on the
# same 2-core machine with the same method): CPU 0.149 s, wall 0.137 s, peak RSS 49 MiB. helm is not installed
# here; those are constants, not measured by this script.
set -euo pipefail

runs="${1:-11}"
case "$runs" in '' | *[!0-9]*) echo "usage: $0 [RUNS]" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] || { echo "usage: $0 [RUNS]  (RUNS >= 1)" >&2; exit 2; }
batches="${BATCH-10 100 1000}"
batch_runs="${BATCH_RUNS:-3}"
HELM_CPU=0.149
HELM_WALL=0.137
HELM_RSS=49

root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
paired="$root/bench/paired.py"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The installed JDKs, one home a line, without duplicates (symlinked names of one JDK).
jdks() {
  local home java major line
  {
    for home in /usr/lib/jvm/*/; do printf '%s\n' "$(readlink -f "$home")"; done
    java="$(command -v java || true)"
    [ -n "$java" ] && readlink -f "$java" | sed 's|/bin/java$||'
  } | sort -u | while read -r home; do
    if [ ! -x "$home/bin/java" ] || [ ! -r "$home/release" ]; then
      continue
    fi
    line="$(grep '^JAVA_VERSION=' "$home/release" | head -n 1 | tr -d '"')"
    major="${line#JAVA_VERSION=}"
    major="${major#1.}"
    major="${major%%[!0-9]*}"
    [ -n "$major" ] && [ "$major" -ge 17 ] && printf '%s %s\n' "$major" "$home"
  done | sort -n
}

# json ARGS...: the arguments as a JSON array.
json() {
  python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"
}

# The java command the launcher runs for ARGS, with REDISGEN_JAVA set by the caller; the reference is the same JVM and
# flags with -version instead of `-jar JAR ARGS`.
reference() {
  local cmd=() i
  mapfile -t cmd < <(REDISGEN_PRINT_JAVA=1 "$root/redisgen" --version)
  for ((i = 0; i < ${#cmd[@]}; i++)); do
    [ "${cmd[i]}" = "-jar" ] && break
  done
  json "${cmd[@]:0:i}" -version
}

# field JSON KEY...: the values of KEYs of a paired.py result, space-separated.
field() {
  python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"
}

printf 'Runs per row: %s, paired with `java -version` of the same JVM and flags; %s CPUs; load average %s.\n' \
  "$runs" "$(nproc)" "$(cut -d ' ' -f 1-3 /proc/loadavg)"
printf 'helm columns: ratio to helm template figures of issue 12 (constants, measured on this machine: CPU %s s, wall %s s, RSS %s MiB).\n\n' \
  "$HELM_CPU" "$HELM_WALL" "$HELM_RSS"

# The jar is built (and each JDK's AOT cache or AppCDS archive made) before anything is timed.
"$root/redisgen" --version >/dev/null
mapfile -t profiles < <("$root/redisgen" profiles | awk '{ print $1 }')

while read -r major home; do
  export REDISGEN_JAVA="$home/bin/java"
  "$root/redisgen" --version >/dev/null
  ref="$(reference)"
  echo "### JDK $major ($home)"
  echo
  echo "| profile | CPU s | wall s | peak RSS MiB | CPU / java -version | wall / java -version | CPU / helm | wall / helm | RSS / helm |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for profile in "${profiles[@]}"; do
    r="$(python3 "$paired" "$runs" "$ref" "$(json "$root/redisgen" render --profile "$profile")" "$profile")"
    read -r cpu wall rss rcpu rwall rrss cratio wratio <<<"$(field "$r" cpu wall rss ref_cpu ref_wall ref_rss cpu_median_ratio wall_median_ratio)"
    awk -v p="$profile" -v c="$cpu" -v w="$wall" -v m="$rss" -v cr="$cratio" -v wr="$wratio" -v rc="$rcpu" -v rw="$rwall" \
      -v hc="$HELM_CPU" -v hw="$HELM_WALL" -v hm="$HELM_RSS" \
      'BEGIN { printf "| %s | %.3f | %.3f | %.0f | %.1f× | %.1f× | %.2f× | %.2f× | %.2f× |\n", p, c, w, m, cr, wr, c / hc, w / hw, m / hm }'
  done
  echo
  printf '`java -version` of this JVM and flags (%s rows): CPU %.3f s, wall %.3f s, peak RSS %.0f MiB (medians).\n\n' \
    "${profiles[-1]}" "$rcpu" "$rwall" "$rrss"

  echo "Phases of \`render --profile gateway-ha\` (medians of REDISGEN_PHASES=1 runs; jvm = launcher + JVM start to main):"
  echo
  echo "| phase | CPU ms | wall ms |"
  echo "|---|---:|---:|"
  r="$(PHASES=1 python3 "$paired" "$runs" "$ref" "$(json "$root/redisgen" render --profile gateway-ha)" phases)"
  python3 -c '
import json, sys
d = json.loads(sys.argv[1])
for name, v in d["phases"].items():
    print("| %s | %.0f | %.0f |" % (name, v["cpu_ms"], v["wall_ms"]))
print("| (whole process, measured outside) | %.0f | %.0f |" % (d["cpu"] * 1000, d["wall"] * 1000))' "$r"
  echo
done < <(jdks)
unset REDISGEN_JAVA

if [ -n "$batches" ]; then
  echo "### Batches: one process renders N profiles (a directory) to stdout; launcher's JDK"
  echo
  echo "| N | CPU s | wall s | peak RSS MiB | CPU ms per profile | wall ms per profile | N helm runs' wall / this wall |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  ref="$(reference)"
  base=(jewelry-shop gateway-ha airflow analytics-cluster)
  for n in $batches; do
    dir="$work/batch-$n"
    mkdir -p "$dir"
    for ((i = 0; i < n; i++)); do
      p="${base[i % 4]}"
      id="$(printf '%04d' "$i")"
      # Its own name and namespace, so that no two profiles render the same object.
      awk -v id="$id" '/^name: / { print $0 "-" id; next }
        /^namespace:/ { ns = 1; print; next }
        ns == 1 && /^  name: / { sub(/^  name: [^ ]*/, "&-" id); ns = 0 }
        { print }' "$root/profiles/$p.yaml" >"$dir/$p-$id.yaml"
    done
    r="$(python3 "$paired" "$batch_runs" "$ref" "$(json "$root/redisgen" render --profile "$dir/")" "batch $n")"
    read -r cpu wall rss <<<"$(field "$r" cpu wall rss)"
    awk -v n="$n" -v c="$cpu" -v w="$wall" -v m="$rss" -v hw="$HELM_WALL" \
      'BEGIN { printf "| %d | %.2f | %.2f | %.0f | %.1f | %.1f | %.1f× |\n", n, c, w, m, c * 1000 / n, w * 1000 / n, n * hw / w }'
    rm -rf "$dir"
  done
  echo
fi

if [ "${FIRST_BUILD:-}" = 1 ]; then
  clone="$work/clone"
  git clone -q "$root" "$clone"
  start="$(date +%s%N)"
  "$clone/redisgen" --version >/dev/null 2>&1
  end="$(date +%s%N)"
  printf 'First build from a fresh clone (`./redisgen --version`: mvn -DskipTests package, then the AOT cache or archive): %.1f s wall.\n' \
    "$(awk -v ns="$((end - start))" 'BEGIN { print ns / 1e9 }')"
fi
