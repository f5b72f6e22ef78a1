#!/usr/bin/env bash
# Times `strata disk --type raw` on a flattened rootfs against the I/O floor: reading the same
# rootfs with tar into /dev/null (through a pipe: GNU tar writing to /dev/null itself skips reading
# file contents). Prints both medians of $RUNS runs (default 5, odd) and their ratio (goal: at
# most 3x). Needs root.
#
#   bench/disk/run.sh [ROOTFS]     # default: the disk boot test's rootfs
#   RUNS=9 bench/disk/run.sh
set -euo pipefail

root=$(dirname "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")")
rootfs=${1:-/var/cache/strata-test/boot-rootfs}
[[ -d $rootfs ]] || { echo "no rootfs at $rootfs (bash scripts/setup-machine.sh makes the default one)" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "run as root: native disk images need it" >&2; exit 2; }
work=$(mktemp -d /var/tmp/strata-bench-disk.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$root/bin/strata" --version >/dev/null # builds the jar once, outside the timings

# Prints wall-clock milliseconds of "$@".
millis() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

runs=${RUNS:-5}
[[ $runs =~ ^[0-9]*[13579]$ ]] || { echo "RUNS must be an odd number, not $runs" >&2; exit 2; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

sync
tar_runs=() disk_runs=()
for ((i = 0; i < runs; i++)); do
  tar_runs+=("$(millis bash -c "tar -C '$rootfs' -cf - . | cat >/dev/null")")
  rm -rf "$work/out"
  disk_runs+=("$(millis "$root/bin/strata" disk --from-rootfs "$rootfs" --type raw --output "$work/out")")
done
tar_ms=$(median "${tar_runs[@]}")
disk_ms=$(median "${disk_runs[@]}")
size=$(du -sh --apparent-size "$rootfs" | cut -f1)
echo "rootfs: $rootfs ($size)"
echo "tar to /dev/null:        ${tar_ms} ms  (runs: ${tar_runs[*]})"
echo "strata disk --type raw:  ${disk_ms} ms  (runs: ${disk_runs[*]})"
awk -v d="$disk_ms" -v t="$tar_ms" 'BEGIN { printf "ratio: %.2fx (goal <= 3x)\n", d / t }'
