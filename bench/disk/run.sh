#!/usr/bin/env bash
# Times making a raw disk image against the I/O floor: reading the same root filesystem with tar
# into a pipe (GNU tar writing to /dev/null itself skips reading file contents). Prints both
# medians of $RUNS runs (default 5, odd) and their ratio (goal: at most 3x). Needs root.
#
#   bench/disk/run.sh --store STORE REF   # an image of a store: `strata disk REF --store STORE`
#                                         # against tar of its flattened rootfs (flattened once,
#                                         # untimed, from the layer blobs)
#   bench/disk/run.sh db-server           # examples/soe's db-server from bench/compare's store
#   bench/disk/run.sh ROOTFS              # a flattened rootfs folder: `strata disk --from-rootfs`
#   bench/disk/run.sh                     # the disk boot test's rootfs (setup-machine.sh makes it)
#   RUNS=9 bench/disk/run.sh ...
set -euo pipefail

root=$(dirname "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")")
die() {
  echo "bench/disk: $*" >&2
  exit 2
}
[[ $(id -u) -eq 0 ]] || die "run as root: native disk images need it"

store="" ref="" rootfs=""
if [[ ${1:-} == --store ]]; then
  [[ $# -eq 3 ]] || die "usage: run.sh --store STORE REF"
  store=$2 ref=$3
elif [[ ${1:-} == db-server || ${1:-} == web-server ]]; then
  store=${BENCH_DIR:-/var/tmp/strata-bench-compare}/strata/store ref=$1:latest
  [[ -f $store/index.json ]] ||
    die "no store at $store: build examples/soe first (bench/compare/run.sh --prime)"
else
  rootfs=${1:-/var/cache/strata-test/boot-rootfs}
  [[ -d $rootfs ]] ||
    die "no rootfs at $rootfs (bash scripts/setup-machine.sh makes the default one)"
fi
work=$(mktemp -d /var/tmp/strata-bench-disk.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Flattens REF of the OCI layout STORE into DIR from its layer blobs, applying each layer's
# whiteouts (.wh.NAME removes NAME below; .wh..wh..opq empties its directory below) as overlay
# would show them.
flatten() {
  local layout=$1 image=$2 dir=$3 manifest layer entry name parent
  manifest=$(jq -r --arg ref "$image" \
    '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $ref) | .digest' \
    "$layout/index.json")
  [[ -n $manifest ]] || die "no $image in $layout"
  mkdir -p "$dir"
  for layer in $(jq -r '.layers[].digest' "$layout/blobs/sha256/${manifest#sha256:}"); do
    layer=$layout/blobs/sha256/${layer#sha256:}
    while IFS= read -r entry; do
      entry=${entry#./}
      name=$(basename "$entry") parent=$(dirname "$entry")
      if [[ $name == .wh..wh..opq ]]; then
        find "$dir/$parent" -mindepth 1 -maxdepth 1 -exec rm -rf {} + 2>/dev/null || true
      elif [[ $name == .wh.* ]]; then
        rm -rf "${dir:?}/$parent/${name#.wh.}"
      fi
    done < <(tar -tzf "$layer" | grep -E '(^|/)\.wh\.' || true)
    tar -xzf "$layer" -C "$dir" --numeric-owner --xattrs --xattrs-include='*' --same-permissions
    find "$dir" -name '.wh.*' -exec rm -rf {} + 2>/dev/null || true
  done
}

"$root/bin/strata" --version >/dev/null # builds the jar once, outside the timings

if [[ -n $store ]]; then
  echo "flattening $ref from $store (untimed, for the tar floor)" >&2
  rootfs=$work/rootfs
  flatten "$store" "$ref" "$rootfs"
  disk_cmd=("$root/bin/strata" disk "$ref" --store "$store" --type raw --output "$work/out")
else
  disk_cmd=("$root/bin/strata" disk --from-rootfs "$rootfs" --type raw --output "$work/out")
fi

# Prints wall-clock milliseconds of "$@".
millis() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

runs=${RUNS:-5}
[[ $runs =~ ^[0-9]*[13579]$ ]] || die "RUNS must be an odd number, not $runs"
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

sync
tar_runs=() disk_runs=()
for ((i = 0; i < runs; i++)); do
  tar_runs+=("$(millis bash -c "tar -C '$rootfs' -cf - . | cat >/dev/null")")
  rm -rf "$work/out"
  disk_runs+=("$(millis "${disk_cmd[@]}")")
done
tar_ms=$(median "${tar_runs[@]}")
disk_ms=$(median "${disk_runs[@]}")
size=$(du -sh --apparent-size "$rootfs" | cut -f1)
echo "rootfs: ${ref:-$rootfs} ($size)"
echo "tar to a pipe:           ${tar_ms} ms  (runs: ${tar_runs[*]})"
echo "strata disk --type raw:  ${disk_ms} ms  (runs: ${disk_runs[*]})"
awk -v d="$disk_ms" -v t="$tar_ms" 'BEGIN { printf "ratio: %.2fx (goal <= 3x)\n", d / t }'
