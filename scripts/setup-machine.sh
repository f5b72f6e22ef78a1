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

# Unpacks trixie's "$1" into $TRIXIE_TOOLS/$1 unless it is there already.
install_from_trixie() {
  local pkg=$1 dest=$TRIXIE_TOOLS/$1
  if [[ -f $dest/.installed && -f $dest/VERSION ]]; then
    log "present: $pkg (trixie) in $dest"
    return
  fi
  local tmp opts mirror
  mirror=$(debian_mirror_url) ||
    die "cannot find this machine's Debian mirror in /etc/apt/sources.list{,.d}"
  install_packages debian-archive-keyring
  tmp=$(mktemp -d)
  mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' \
    "$mirror" >"$tmp/sources.list"
  opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache::Archives=$tmp/archives"
    -o APT::Sandbox::User=root)
  log "downloading $pkg from trixie"
  apt-get "${opts[@]}" update -q >/dev/null
  (cd "$tmp" && apt-get "${opts[@]}" download -q "$pkg" >/dev/null)
  rm -rf "$dest"
  mkdir -p "$dest"
  dpkg -x "$tmp"/"$pkg"_*.deb "$dest"
  dpkg-deb -f "$tmp"/"$pkg"_*.deb Version >"$dest/VERSION"
  touch "$dest/.installed"
  rm -rf "$tmp"
}

install_trixie_tools() {
  install_from_trixie cosign
  mkdir -p "$TRIXIE_TOOLS/bin"
  ln -sfn "$TRIXIE_TOOLS/cosign/usr/bin/cosign" "$TRIXIE_TOOLS/bin/cosign"
  ln -sfn "$TRIXIE_TOOLS/cosign/usr/bin/cosign" /usr/local/bin/cosign
  install_from_trixie docker-buildx
  mkdir -p /usr/local/lib/docker/cli-plugins
  ln -sfn "$TRIXIE_TOOLS/docker-buildx/usr/libexec/docker/cli-plugins/docker-buildx" \
    /usr/local/lib/docker/cli-plugins/docker-buildx
  "$TRIXIE_TOOLS/bin/cosign" version >/dev/null 2>&1 || die "the unpacked cosign does not run"
  [[ $(cat "$TRIXIE_TOOLS/cosign/VERSION") == 2.5.* ]] ||
    die "trixie's cosign is $(cat "$TRIXIE_TOOLS/cosign/VERSION"), the tests expect 2.5"
  log "cosign: $(cat "$TRIXIE_TOOLS/cosign/VERSION") ($TRIXIE_TOOLS/bin/cosign)"
  log "buildx: $(docker buildx version 2>/dev/null || echo 'needs the docker CLI')"
}

# The catalog's tests check Strata's version order against dpkg's and rpm's own, and read an
# rpmdb.sqlite that rpm itself writes (rpmbuild + rpm --dbpath); Debian's rpm package has both.
install_catalog_tools() {
  install_packages rpm
  log "rpm: $(rpm --version)"
}

# debian_mirror_url: this machine's Debian archive, shared with scripts/seed-debian.sh.
# shellcheck source=scripts/debian-mirror.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh"

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

# RUN executor: runc (the OCI runtime RUN steps execute in), busybox-static (the small base
# rootfs the RUN tests build on), buildah (the oracle the RUN layers are compared with),
# bubblewrap (a fallback runtime) and libcap2-bin (setcap/getcap inside tests). Also loads the
# overlay module when it is not built in, since RUN mounts overlayfs.
install_run_executor() {
  install_packages runc busybox-static buildah bubblewrap libcap2-bin uidmap
  if ! grep -qw overlay /proc/filesystems; then
    modprobe overlay 2>/dev/null || die "overlayfs is unavailable (modprobe overlay failed): RUN needs it"
  fi
  log "runc: $(runc --version | head -n 1); buildah: $(buildah --version)"
}

# Disk images (disk/): sgdisk partitions a sparse file, mkfs.ext4 -d (STRATA_EXT4_WRITER=mkfs)
# fills the root without mounts, systemd-boot's EFI binary goes onto the ESP (Strata writes the
# FAT32 itself; dosfstools' fsck.fat and mtools read it back in tests), qemu-img
# converts to qcow2/vmdk/vhd; qemu-system-x86 + OVMF boot the result in tests; mmdebstrap makes
# the bootable Debian rootfs the boot test starts from (cached under /var/cache/strata-test).
install_disk_tools() {
  install_packages gdisk dosfstools mtools e2fsprogs qemu-utils qemu-system-x86 ovmf \
    systemd-boot-efi mmdebstrap openssl
  [[ -f /usr/lib/systemd/boot/efi/systemd-bootx64.efi ]] ||
    die "systemd-boot-efi is installed but /usr/lib/systemd/boot/efi/systemd-bootx64.efi is missing"
  [[ -f /usr/share/OVMF/OVMF_CODE_4M.fd ]] || die "ovmf is installed but OVMF_CODE_4M.fd is missing"
  log "qemu: $(qemu-system-x86_64 --version | head -n 1)"
  local rootfs=/var/cache/strata-test/boot-rootfs
  if [[ ! -f $rootfs/.complete ]]; then
    log "making the disk boot test's Debian rootfs in $rootfs (once; about 2 minutes)"
    bash "$(dirname "${BASH_SOURCE[0]}")/../disk/src/test/scripts/make-boot-rootfs.sh" "$rootfs"
  fi
  log "disk boot test rootfs: $rootfs"
}

# The BuildKit engine's test builder. Bookworm's dockerd (20.10) embeds BuildKit 0.8, whose
# Dockerfile frontend lacks named contexts (--build-context), which the engine pins graph parents
# with; trixie's dockerd 26.1 embeds BuildKit 0.13. It runs as a second daemon beside the first
# (own socket, data and exec roots, containerd namespaces, its own bridge strata-bk0 and no
# iptables rules) so the first keeps serving Testcontainers. Never --bridge=none: a daemon without
# a bridge deletes the interface docker0, cutting off the first daemon's containers. It is is registered as the docker context "strata-buildkit",
# which buildx lists as a builder with the docker driver: `--builder strata-buildkit`.
# localhost registries are insecure by default for dockerd, so it pushes to the test registry.
BUILDKIT_TEST_BUILDER=strata-buildkit
start_buildkit_test_builder() {
  install_from_trixie docker.io
  local root=/run/$BUILDKIT_TEST_BUILDER sock=/run/$BUILDKIT_TEST_BUILDER/docker.sock
  local dockerd=$TRIXIE_TOOLS/docker.io/usr/sbin/dockerd docker
  docker=$(command -v docker) || die "no docker CLI"
  if ! ip link show strata-bk0 >/dev/null 2>&1; then
    ip link add strata-bk0 type bridge
    ip addr add 172.29.213.1/24 dev strata-bk0
    ip link set strata-bk0 up
  fi
  if ! "$docker" -H "unix://$sock" info >/dev/null 2>&1; then
    log "starting the BuildKit test daemon (log: /var/log/$BUILDKIT_TEST_BUILDER-dockerd.log)"
    mkdir -p "$root" "/var/lib/$BUILDKIT_TEST_BUILDER"
    PATH=$TRIXIE_TOOLS/docker.io/usr/sbin:$TRIXIE_TOOLS/docker.io/usr/bin:$PATH \
      nohup "$dockerd" --host "unix://$sock" --exec-root "$root/exec" \
      --pidfile "$root/dockerd.pid" --data-root "/var/lib/$BUILDKIT_TEST_BUILDER" \
      --containerd=/run/containerd/containerd.sock \
      --containerd-namespace "$BUILDKIT_TEST_BUILDER" \
      --containerd-plugins-namespace "$BUILDKIT_TEST_BUILDER-plugins" \
      --bridge=strata-bk0 --iptables=false --ip6tables=false \
      >>"/var/log/$BUILDKIT_TEST_BUILDER-dockerd.log" 2>&1 </dev/null &
    local i
    for i in $(seq 1 60); do
      "$docker" -H "unix://$sock" info >/dev/null 2>&1 && break
      sleep 1
    done
    "$docker" -H "unix://$sock" info >/dev/null 2>&1 ||
      die "the BuildKit test daemon did not come up; see /var/log/$BUILDKIT_TEST_BUILDER-dockerd.log"
  fi
  if ! "$docker" context inspect "$BUILDKIT_TEST_BUILDER" >/dev/null 2>&1; then
    "$docker" context create "$BUILDKIT_TEST_BUILDER" --docker "host=unix://$sock" >/dev/null
  fi
  log "BuildKit test builder: $BUILDKIT_TEST_BUILDER (dockerd $("$docker" -H "unix://$sock" version --format '{{.Server.Version}}'))"
}

# The zstd CLI: the zstd-layer tests' independent oracle (it reads Strata's zstd layers and
# writes the .tar.zst archives and layers Strata must read).
install_zstd_tools() {
  install_packages zstd
}

main() {
  require_root
  install_java_toolchain
  install_image_tools
  start_docker_with_test_registry
  install_trixie_tools
  start_buildkit_test_builder
  install_catalog_tools
  install_run_executor
  install_disk_tools
  install_zstd_tools
  log "machine ready"
}

main "$@"
