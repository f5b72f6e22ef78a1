#!/usr/bin/env bash
# The README's main job: builds the examples/soe hierarchy with Strata, no daemon involved.
#
#   1. seeds docker.io/library/debian:bookworm into the store when it is absent (a minbase
#      rootfs made by mmdebstrap from this machine's Debian mirror, cached in
#      /var/cache/strata-seed, stored with `strata import`);
#   2. builds base, soe, db-server and web-server (`strata build examples/soe`);
#   3. prints the plan (now all up to date) and the graph.
#
#   scripts/build-examples.sh [--store DIR] [strata build options…]     (as root)
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
strata=$root/bin/strata
store=${XDG_DATA_HOME:-$HOME/.local/share}/strata
if [[ ${1:-} == --store ]]; then
  store=$2
  shift 2
fi
store_args=(--store "$store")
base=docker.io/library/debian:bookworm

# The store's index.json names every stored image (OCI image layout).
if ! jq -e --arg ref "$base" \
  '.manifests[]? | select(.annotations["org.opencontainers.image.ref.name"] == $ref)' \
  "$store/index.json" >/dev/null 2>&1; then
  tar=$("$root/scripts/seed-debian.sh")
  "$strata" import "${store_args[@]}" "$tar" "$base"
fi
"$strata" build "${store_args[@]}" "$@" "$root/examples/soe"
"$strata" plan "${store_args[@]}" "$root/examples/soe"
"$strata" graph "$root/examples/soe"
