#!/usr/bin/env bash
# Times `redisgen render --profile P` for every built-in profile as a whole process (`java -jar`),
# next to a JVM hello-world in the same run, and prints a Markdown table. Not a test.
#
#   bench/render-bench.sh [RUNS]        RUNS per row, default 10
#   JAVA_OPTS='-XX:TieredStopAtLevel=1' bench/render-bench.sh    the same flags on every row
#
# Peak RSS comes from /usr/bin/time -f %M (GNU time; `apt-get install -y time`); without it the column says n/a.
set -euo pipefail

runs="${1:-10}"
case "$runs" in '' | *[!0-9]*) echo "usage: $0 [RUNS]" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] || { echo "usage: $0 [RUNS]  (RUNS >= 1)" >&2; exit 2; }

root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/app/target/redisgen.jar"
read -r -a java_opts <<<"${JAVA_OPTS:-}"

# The launcher builds the jar if it is missing or stale.
"$root/redisgen" --version >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/Hello.java" <<'JAVA'
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
JAVA
javac -d "$work" "$work/Hello.java"

gnu_time=""
if /usr/bin/time -f %M true >/dev/null 2>&1; then
  gnu_time=/usr/bin/time
fi

# measure NAME CMD...: one table row from RUNS runs of CMD (stdout discarded, a failure aborts).
measure() {
  local name="$1"
  shift
  local times=() rss_max=0 start end rss
  for ((i = 0; i < runs; i++)); do
    start="$(date +%s%N)"
    if [ -n "$gnu_time" ]; then
      "$gnu_time" -f %M -o "$work/rss" "$@" >/dev/null
    else
      "$@" >/dev/null
    fi
    end="$(date +%s%N)"
    times+=($(((end - start) / 1000000)))
    if [ -n "$gnu_time" ]; then
      rss="$(tail -n 1 "$work/rss")"
      [ "$rss" -gt "$rss_max" ] && rss_max="$rss"
    fi
  done
  local sorted
  sorted="$(printf '%s\n' "${times[@]}" | sort -n)"
  local median min max rss_cell="n/a"
  median="$(awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }' <<<"$sorted")"
  min="$(head -n 1 <<<"$sorted")"
  max="$(tail -n 1 <<<"$sorted")"
  if [ -n "$gnu_time" ]; then
    rss_cell="$(awk -v kb="$rss_max" 'BEGIN { printf "%.0f", kb / 1024 }')"
  fi
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$median" "$min" "$max" "$rss_cell"
}

echo "$runs runs per row; java: $(java -version 2>&1 | head -n 1); JAVA_OPTS: ${JAVA_OPTS:-(none)}; $(nproc) CPUs"
echo
echo "| profile | median ms | min ms | max ms | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
measure "(JVM hello-world)" java "${java_opts[@]}" -cp "$work" Hello
while read -r profile _; do
  measure "$profile" java "${java_opts[@]}" -jar "$jar" render --profile "$profile"
done < <(java -jar "$jar" profiles)
