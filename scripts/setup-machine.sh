#!/usr/bin/env bash
# Installs every system package and tool that Strata's build and tests need on a fresh
# Debian bookworm machine. Run as root; idempotent; never reads stdin (CI runs it unattended).
#
#   bash scripts/setup-machine.sh
#
# One function per concern. A concern declares its Debian packages and calls
# install_packages, which installs only the missing ones and refreshes the package lists
# only when something is missing, so a second run on a ready machine does nothing.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

log() { printf '[setup] %s\n' "$*" >&2; }
die() {
  printf '[setup] error: %s\n' "$*" >&2
  exit 1
}

apt_lists_fresh=false

# Prints the packages among "$@" that dpkg does not report as installed.
missing_packages() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed; then
      printf '%s\n' "$pkg"
    fi
  done
}

# Installs the missing ones among "$@"; runs apt-get update at most once per run, and only
# when there is something to install.
install_packages() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  if ((${#missing[@]} == 0)); then
    log "present: $*"
    return
  fi
  if [[ $apt_lists_fresh == false ]]; then
    log "refreshing package lists"
    apt-get update -q
    apt_lists_fresh=true
  fi
  log "installing: ${missing[*]}"
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

require_root() {
  [[ $(id -u) -eq 0 ]] || die "run as root (it installs Debian packages)"
  command -v apt-get >/dev/null || die "apt-get not found: this script targets Debian bookworm"
}

# JDK 17 and Maven build and test every module; git is read by the plan's
# affected-by-git-diff logic and its tests; jq reads JSON output in scripts and CI.
install_java_toolchain() {
  install_packages openjdk-17-jdk-headless maven git jq ca-certificates
  local version
  version=$(java -version 2>&1 | head -n 1)
  [[ $version == *'"17.'* || $version == *' 17.'* ]] ||
    log "note: 'java' on PATH is not 17 ($version); the build needs 17 or newer"
  log "java: $version"
  log "maven: $(mvn -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g')"
}

# Image tools the engine's tests check Strata's output with: skopeo reads the local OCI layout
# store (`skopeo inspect oci:<store>:<ref>`); GNU tar lists the layers Strata writes.
install_image_tools() {
  install_packages skopeo tar
  log "skopeo: $(skopeo --version)"
}

# The buildah oracle for the engine's exactness tests (buildah 1.28 from bookworm; the tests run
# it as root with `--storage-driver vfs` and their own --root, so no storage.conf is needed) and
# busybox-static, whose single binary makes the small base rootfs the engine's tests import.
install_buildah_oracle() {
  install_packages buildah busybox-static
  log "buildah: $(buildah --version)"
}

main() {
  require_root
  install_java_toolchain
  install_image_tools
  install_buildah_oracle
  log "machine ready"
}

main "$@"
