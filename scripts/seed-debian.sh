#!/usr/bin/env bash
# Makes sure a Debian bookworm root filesystem tarball exists and prints its path: built once
# with mmdebstrap (minbase) from this machine's own Debian mirror, then kept in the cache folder.
# The examples script and the end-to-end tests import it as docker.io/library/debian:bookworm,
# so both start from the same bytes.
#
#   scripts/seed-debian.sh [CACHE_DIR]      (default /var/cache/strata-seed; needs root)
set -euo pipefail

cache=${1:-/var/cache/strata-seed}
tar=$cache/debian-bookworm.tar

# shellcheck source=scripts/debian-mirror.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/debian-mirror.sh"

if [[ ! -s $tar ]]; then
  command -v mmdebstrap >/dev/null ||
    { echo "seed-debian: mmdebstrap is missing; run scripts/setup-machine.sh" >&2; exit 1; }
  mirror=$(debian_mirror_url) ||
    { echo "seed-debian: no bookworm entry in /etc/apt/sources.list{,.d}" >&2; exit 1; }
  mkdir -p "$cache"
  partial=$(mktemp "$cache/.debian-bookworm.XXXXXX")
  trap 'rm -f "$partial"' EXIT
  echo "seed-debian: mmdebstrap bookworm from $mirror into $tar" >&2
  mmdebstrap --quiet --variant=minbase --mode=root --format=tar bookworm "$partial" "$mirror" \
    </dev/null >&2
  chmod 0644 "$partial"
  mv "$partial" "$tar"
  trap - EXIT
fi
echo "$tar"
