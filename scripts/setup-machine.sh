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

# Tools newer than bookworm ships, taken from Debian trixie without changing the machine's
# suite: `apt-get download` against a temporary sources list that uses the machine's own mirror,
# then `dpkg -x` into /opt/strata-tools/<package>. cosign 2.5 checks Strata's signatures;
# docker-buildx 0.13 drives dockerd's embedded BuildKit for the BuildKit engine and bake.
TRIXIE_TOOLS=/opt/strata-tools

debian_mirror() {
  local url=""
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    url=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z $url && -f /etc/apt/sources.list ]]; then
    url=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  fi
  [[ -n $url ]] || die "cannot find the machine's Debian mirror in /etc/apt/sources.list(.d)"
  printf '%s\n' "$url"
}

# Unpacks trixie's "$1" into $TRIXIE_TOOLS/$1 unless it is there already.
install_from_trixie() {
  local pkg=$1 dest=$TRIXIE_TOOLS/$1
  if [[ -f $dest/.installed ]]; then
    log "present: $pkg (trixie) in $dest"
    return
  fi
  local tmp opts
  tmp=$(mktemp -d)
  mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' \
    "$(debian_mirror)" >"$tmp/sources.list"
  opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache::Archives=$tmp/archives"
    -o APT::Sandbox::User=root)
  log "downloading $pkg from trixie"
  apt-get "${opts[@]}" update -q >/dev/null
  (cd "$tmp" && apt-get "${opts[@]}" download -q "$pkg" >/dev/null)
  rm -rf "$dest"
  mkdir -p "$dest"
  dpkg -x "$tmp"/"$pkg"_*.deb "$dest"
  touch "$dest/.installed"
  rm -rf "$tmp"
}

install_trixie_tools() {
  install_from_trixie cosign
  ln -sfn "$TRIXIE_TOOLS/cosign/usr/bin/cosign" /usr/local/bin/cosign
  install_from_trixie docker-buildx
  mkdir -p /usr/local/lib/docker/cli-plugins
  ln -sfn "$TRIXIE_TOOLS/docker-buildx/usr/libexec/docker/cli-plugins/docker-buildx" \
    /usr/local/lib/docker/cli-plugins/docker-buildx
  log "cosign: $(cosign version 2>/dev/null | awk '/GitVersion/ { print $2 }')"
  log "buildx: $(docker buildx version 2>/dev/null || echo 'needs the docker CLI')"
}

# The catalog's tests check Strata's version order against dpkg's and rpm's own, and read an
# rpmdb.sqlite that rpm itself writes (rpmbuild + rpm --dbpath); Debian's rpm package has both.
install_catalog_tools() {
  install_packages rpm
  log "rpm: $(rpm --version)"
}

main() {
  require_root
  install_java_toolchain
  install_image_tools
  install_trixie_tools
  install_catalog_tools
  log "machine ready"
}

main "$@"
