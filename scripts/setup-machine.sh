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

# cosign 2.5 (Debian trixie's package; bookworm has none) verifies Strata's signatures and
# attestations in trust/'s tests. It is fetched with `apt-get download` through a temporary
# sources list that points at this machine's own Debian mirror with suite trixie, and unpacked
# with `dpkg -x` into /opt/strata-tools/cosign, so nothing from trixie is installed into the
# system. Tests find the binary at /opt/strata-tools/bin/cosign (or $STRATA_COSIGN).
install_cosign() {
  local tools=/opt/strata-tools
  local bin="$tools/bin/cosign"
  # Debian's build reports "GitVersion: devel", so the package version is kept beside it.
  if [[ -x $bin && $(cat "$tools/cosign/VERSION" 2>/dev/null) == 2.5.* ]]; then
    log "present: cosign $(cat "$tools/cosign/VERSION") ($bin)"
    return
  fi
  install_packages debian-archive-keyring ca-certificates
  local mirror
  mirror=$(debian_mirror_url) || die "cannot find this machine's Debian mirror in /etc/apt/sources.list{,.d}"
  local work
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: the trap must remove this very folder
  trap "rm -rf '$work'; trap - RETURN" RETURN
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/pkg"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' \
    "$mirror" >"$work/trixie.list"
  local -a apt_opts=(
    -o "Dir::Etc::SourceList=$work/trixie.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root
  )
  log "fetching cosign from trixie ($mirror)"
  apt-get "${apt_opts[@]}" -q update >/dev/null
  (cd "$work/pkg" && apt-get "${apt_opts[@]}" -q download cosign >/dev/null)
  local deb
  deb=$(find "$work/pkg" -name 'cosign_*.deb' | head -n 1)
  [[ -n $deb ]] || die "apt-get download cosign produced no .deb"
  rm -rf "$tools/cosign"
  mkdir -p "$tools/cosign" "$tools/bin"
  local version
  version=$(dpkg-deb -f "$deb" Version)
  [[ $version == 2.5.* ]] || die "trixie's cosign is $version, not 2.5"
  dpkg -x "$deb" "$tools/cosign"
  "$tools/cosign/usr/bin/cosign" version >/dev/null 2>&1 || die "the unpacked cosign does not run"
  printf '%s\n' "$version" >"$tools/cosign/VERSION"
  ln -sfn "$tools/cosign/usr/bin/cosign" "$bin"
  log "cosign: $version ($bin)"
}

# Prints the URL of this machine's main Debian archive (the one serving bookworm), read from
# deb822 *.sources files or one-line sources.list entries; never a hard-coded host.
debian_mirror_url() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk '
      /^[[:space:]]*$/ { if (uri != "" && suite ~ /(^| )bookworm( |$)/) { print uri; exit } uri = ""; suite = ""; next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { $1 = ""; suite = $0 " " }
      END { if (uri != "" && suite ~ /(^| )bookworm( |$)/) print uri }
    ' "$f" | head -n 1 | grep . && return 0
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    sed -E -n 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+bookworm[[:space:]].*/\2/p' "$f" |
      head -n 1 | grep . && return 0
  done
  return 1
}

# The registry integration tests (buildkit-bridge, through Testcontainers) run Debian's
# distribution registry in a container. There is no image hub here, so dockerd comes from
# Debian's docker.io (started in the background: no systemd) and the registry image is built
# locally: the docker-registry binary with the libraries ldd names, a minimal config, imported
# as strata-test/registry:2.8. apache2-utils gives htpasswd (bcrypt) for the auth tests.
REGISTRY_TEST_IMAGE=strata-test/registry:2.8
start_docker_with_test_registry() {
  install_packages docker.io docker-registry apache2-utils
  local dockerd=/usr/sbin/dockerd docker=/usr/bin/docker
  [[ -x $docker ]] || docker=$(command -v docker)
  if ! "$docker" info >/dev/null 2>&1; then
    log "starting dockerd (log: /var/log/strata-dockerd.log)"
    pgrep -x containerd >/dev/null || {
      nohup /usr/bin/containerd >>/var/log/strata-containerd.log 2>&1 </dev/null &
    }
    nohup "$dockerd" --containerd=/run/containerd/containerd.sock \
      >>/var/log/strata-dockerd.log 2>&1 </dev/null &
    local i
    for i in $(seq 1 60); do
      "$docker" info >/dev/null 2>&1 && break
      sleep 1
    done
    "$docker" info >/dev/null 2>&1 ||
      die "dockerd did not come up in 60 s; see /var/log/strata-dockerd.log"
  fi
  log "dockerd: $("$docker" version --format '{{.Server.Version}}')"
  if "$docker" image inspect "$REGISTRY_TEST_IMAGE" >/dev/null 2>&1; then
    log "present: $REGISTRY_TEST_IMAGE"
    return
  fi
  log "building $REGISTRY_TEST_IMAGE from /usr/bin/docker-registry"
  local root lib
  root=$(mktemp -d)
  install -D -m 0755 /usr/bin/docker-registry "$root/usr/bin/registry"
  # The loader and every shared library the binary links (none when it is static).
  while read -r lib; do
    [[ -n $lib ]] && install -D -m 0755 "$lib" "$root$lib"
  done < <(ldd /usr/bin/docker-registry 2>/dev/null | grep -o '/[^ ]*' | sort -u || true)
  install -d -m 0755 "$root/var/lib/registry" "$root/etc/docker/registry"
  install -d -m 1777 "$root/tmp"
  cat >"$root/etc/docker/registry/config.yml" <<'YAML'
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: :5000
YAML
  tar -C "$root" -c . | "$docker" import \
    --change 'ENTRYPOINT ["/usr/bin/registry", "serve"]' \
    --change 'CMD ["/etc/docker/registry/config.yml"]' \
    --change 'EXPOSE 5000' \
    - "$REGISTRY_TEST_IMAGE" >/dev/null
  rm -rf "$root"
  log "built: $REGISTRY_TEST_IMAGE"
}

main() {
  require_root
  install_java_toolchain
  install_image_tools
  start_docker_with_test_registry
  install_cosign
  log "machine ready"
}

main "$@"
