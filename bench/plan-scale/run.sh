#!/usr/bin/env bash
# Times `strata plan` on a synthetic 1,000-node hierarchy (depth 5): median of 5 runs, and the
# JVM start alone (`strata --version`) for comparison. Usage: bench/plan-scale/run.sh [WORKDIR]
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
root=$(dirname "$(dirname "$here")")
work=${1:-$(mktemp -d)}
jar=$root/cli/target/strata.jar
[ -f "$jar" ] || (cd "$root" && mvn -B -q -pl cli -am package -DskipTests >&2)
python3 "$here/generate.py" "$work/project" >&2

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() {
  local start end
  start=$(date +%s%N)
  "$@" > /dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

# Through the launcher, so the JVM options users get are the ones measured.
strata=$root/bin/strata
"$strata" plan "$work/project" > /dev/null # build if stale, warm the page cache
plan=$(for _ in 1 2 3 4 5; do time_ms "$strata" plan "$work/project"; done | median)
jvm=$(for _ in 1 2 3 4 5; do time_ms "$strata" --version; done | median)
echo "strata plan, 1000 nodes: median ${plan} ms; JVM start (strata --version): median ${jvm} ms"
echo "beyond JVM start: $((plan - jvm)) ms"
