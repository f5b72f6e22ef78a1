#!/usr/bin/env bash
# Times examples/soe built by Strata (native engine, bin/strata build) against buildah
# (bud --layers) and BuildKit (docker buildx, docker driver, dockerd's embedded BuildKit) in four
# scenarios: cold build, no-op rebuild, leaf change (web-server's nginx site config), SOE change
# (an ARG default in soe's Containerfile). Prints each scenario's median of $RUNS runs (odd,
# default 3), the ratio Strata / faster peer and the goal. See bench/compare/README.md.
#
#   bench/compare/run.sh                    # as root, after scripts/setup-machine.sh
#   RUNS=5 COLD_RUNS=1 bench/compare/run.sh # cold builds once, the others five times
#   TOOLS="strata buildah" bench/compare/run.sh
#   STRATA_COMPRESSION=zstd bench/compare/run.sh   # Strata writes zstd layers
#   bench/compare/run.sh --prime            # only the untimed first builds (see README)
#
# Every tool works in its own state under $BENCH_DIR (default /var/tmp/strata-bench-compare),
# never in the machine's shared stores: a Strata store, a buildah storage root, and a private
# dockerd (the same trixie dockerd 26.1 / BuildKit 0.13 as the "strata-buildkit" test builder,
# its own socket, data root and bridge) so pruning its cache cannot disturb tests that use the
# shared daemons. The folder is kept between runs: its apt caches are what keeps cold builds off
# the network (see "Cold builds" in the README). `run.sh --clean` stops the private dockerd and
# deletes the folder.
set -euo pipefail

root=$(dirname "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")")
work=${BENCH_DIR:-/var/tmp/strata-bench-compare}
runs=${RUNS:-3}
cold_runs=${COLD_RUNS:-$runs}
read -r -a tools <<<"${TOOLS:-strata buildah buildkit}"
# Strata's layer compression (--compression): gzip (the default) or zstd.
compression=${STRATA_COMPRESSION:-gzip}
base_ref=docker.io/library/debian:bookworm
nodes=(base soe db-server web-server)
# The graph's waves: a wave's nodes depend only on earlier waves. The peers build a wave's nodes
# at once, as Strata does with its default --jobs 2.
waves=("base" "soe" "db-server web-server")
dockerd_bin=${BENCH_DOCKERD:-/opt/strata-tools/docker.io/usr/sbin/dockerd}
bk_sock=$work/buildkit/docker.sock
bk_bridge=strata-bench0
bk_bridge_cidr=172.29.214.1/24

die() {
  echo "bench/compare: $*" >&2
  exit 2
}
log() { echo "bench/compare: $*" >&2; }

[[ $(id -u) -eq 0 ]] || die "run as root: the builds need runc, overlay mounts and dockerd"
[[ $runs =~ ^[0-9]*[13579]$ ]] || die "RUNS must be an odd number, not $runs"
[[ $compression == gzip || $compression == zstd ]] ||
  die "STRATA_COMPRESSION must be gzip or zstd, not $compression"
[[ $cold_runs =~ ^[0-9]+$ && $cold_runs -ge 1 && $cold_runs -le $runs && $((cold_runs % 2)) -eq 1 ]] ||
  die "COLD_RUNS must be odd, between 1 and RUNS ($runs), not $cold_runs"
for t in "${tools[@]}"; do
  [[ $t == strata || $t == buildah || $t == buildkit ]] || die "unknown tool $t in TOOLS"
done

# ---------------------------------------------------------------------------------------------
# The private BuildKit daemon.

bk() { DOCKER_HOST=unix://$bk_sock docker "$@"; }

start_buildkit_daemon() {
  bk info >/dev/null 2>&1 && return 0
  [[ -x $dockerd_bin ]] || die "no dockerd at $dockerd_bin (scripts/setup-machine.sh installs it)"
  # A bridge of its own: dockerd without one deletes docker0 (see setup-machine.sh).
  if ! ip link show "$bk_bridge" >/dev/null 2>&1; then
    ip link add "$bk_bridge" type bridge
    ip addr add "$bk_bridge_cidr" dev "$bk_bridge"
    ip link set "$bk_bridge" up
  fi
  mkdir -p "$work/buildkit/data" "$work/buildkit/exec"
  log "starting a private dockerd for BuildKit (log: $work/buildkit/dockerd.log)"
  PATH=$(dirname "$dockerd_bin"):$(dirname "$(dirname "$dockerd_bin")")/bin:$PATH \
    nohup "$dockerd_bin" --host "unix://$bk_sock" --exec-root "$work/buildkit/exec" \
    --pidfile "$work/buildkit/dockerd.pid" --data-root "$work/buildkit/data" \
    --containerd=/run/containerd/containerd.sock \
    --containerd-namespace strata-bench --containerd-plugins-namespace strata-bench-plugins \
    --bridge="$bk_bridge" --iptables=false --ip6tables=false \
    >>"$work/buildkit/dockerd.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 60); do
    bk info >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "the private dockerd did not come up; see $work/buildkit/dockerd.log"
}

stop_buildkit_daemon() {
  local pidfile=$work/buildkit/dockerd.pid pid
  [[ -s $pidfile ]] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
}

if [[ ${1:-} == --clean ]]; then
  stop_buildkit_daemon
  ip link del "$bk_bridge" 2>/dev/null || true
  rm -rf "$work"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# Each tool's private state.

buildah_args() {
  echo --root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver overlay
}
# buildah keeps RUN --mount=type=cache folders under $TMPDIR/buildah-cache-*.
bh() {
  mkdir -p "$work/buildah/tmp"
  # shellcheck disable=SC2046
  TMPDIR=$work/buildah/tmp buildah $(buildah_args) "$@"
}

# The project each tool builds: a copy of examples/soe, so that the edits of the leaf and SOE
# scenarios never touch the repository. In every copy the `# syntax=` lines are dropped (BuildKit
# would pull that frontend image from Docker Hub, which this machine cannot reach; its built-in
# frontend has what the files use) and strata.yaml's `disk:` entries are dropped (disk images are
# not part of a build for the peers). buildah 1.28 has no heredocs: its copy gets
# rewrite_heredocs.
prepare_project() {
  local tool=$1 dir=$work/$1/proj
  rm -rf "$dir"
  mkdir -p "$work/$tool"
  cp -a "$root/examples/soe" "$dir"
  sed -i -E 's/, *disk: *\[[^]]*\]//' "$dir/strata.yaml"
  ! grep -q 'disk:' "$dir/strata.yaml" || die "could not drop disk: from $dir/strata.yaml"
  sed -i '/^# *syntax=/d' "$dir"/*/Containerfile
  if [[ $tool == buildah ]]; then
    local node
    for node in "${nodes[@]}"; do rewrite_heredocs "$dir/$node"; done
  fi
}

# Rewrites the heredocs of DIR/Containerfile into what buildah 1.28 understands, with the same
# effect: `COPY <<EOF dest` copies a file of the build context holding the body, and
# `RUN <<EOF` (no shebang) runs the body with /bin/sh -c, exactly as BuildKit does.
rewrite_heredocs() {
  local ctx=$1 file=$1/Containerfile
  awk -v ctx="$ctx" -v file="$file" '
    function fail(msg) { print file ": " msg > "/dev/stderr"; failed = 1; exit 1 }
    function json(s,   out, i, c) {
      out = "\""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\" || c == "\"") out = out "\\" c
        else if (c == "\n") out = out "\\n"
        else if (c == "\t") out = out "\\t"
        else out = out c
      }
      return out "\""
    }
    word == "" && match($0, /^(COPY|RUN)([ \t]+--[^ \t]+)*[ \t]+<<-?["\x27]?[A-Za-z0-9_]+["\x27]?/) {
      head = substr($0, 1, RLENGTH); rest = substr($0, RLENGTH + 1)
      verb = head; sub(/[ \t].*/, "", verb)
      flags = head; sub(/^(COPY|RUN)/, "", flags); sub(/[ \t]+<<.*/, "", flags)
      word = head; sub(/.*<</, "", word); dash = sub(/^-/, "", word); gsub(/["\x27]/, "", word)
      body = ""
      next
    }
    word != "" {
      line = $0
      if (dash) sub(/^\t+/, "", line)
      if (line != word) { body = body line "\n"; next }
      if (verb == "COPY") {
        dest = rest; gsub(/^[ \t]+|[ \t]+$/, "", dest)
        if (dest == "" || dest ~ /<</) fail("only COPY <<WORD DEST is rewritten")
        name = ".heredoc-" (++n)
        printf "%s", body > (ctx "/" name); close(ctx "/" name)
        print "COPY" flags " " name " " dest
      } else {
        if (rest !~ /^[ \t]*$/ || body ~ /^#!/) fail("only RUN <<WORD without a shebang is rewritten")
        print "RUN" flags " [\"/bin/sh\", \"-c\", " json(body) "]"
      }
      word = ""
      next
    }
    { print }
    END { if (!failed && word != "") fail("heredoc " word " is not closed") }
  ' "$file" >"$file.rewritten" || { rm -f "$file.rewritten"; return 1; }
  mv "$file.rewritten" "$file"
}

# Seeds docker.io/library/debian:bookworm from the mmdebstrap tarball of scripts/seed-debian.sh
# into a tool's store, when it is not there.
seed() {
  local tool=$1 tar
  tar=$("$root/scripts/seed-debian.sh")
  case $tool in
    strata)
      jq -e --arg ref "$base_ref" \
        '.manifests[]? | select(.annotations["org.opencontainers.image.ref.name"] == $ref)' \
        "$work/strata/store/index.json" >/dev/null 2>&1 ||
        "$root/bin/strata" import --store "$work/strata/store" "$tar" "$base_ref" >/dev/null
      ;;
    buildah)
      # The same bytes as Strata's: the image Strata imported, copied into containers-storage.
      bh inspect --type image "$base_ref" >/dev/null 2>&1 && return 0
      seed strata
      # shellcheck disable=SC2046
      skopeo copy -q "oci:$work/strata/store:$base_ref" \
        "containers-storage:[overlay@$work/buildah/root+$work/buildah/run]$base_ref"
      ;;
    buildkit)
      bk image inspect "$base_ref" >/dev/null 2>&1 ||
        bk import "$tar" "$base_ref" >/dev/null
      ;;
  esac
}

# Deletes everything a tool built or cached except its apt cache mount (and the seeded base).
make_cold() {
  local tool=$1
  case $tool in
    strata)
      local store=$work/strata/store keep=$work/strata/mounts
      rm -rf "$keep"
      [[ -d $store/cache/mounts ]] && mv "$store/cache/mounts" "$keep"
      rm -rf "$store"
      mkdir -p "$store/cache"
      [[ -d $keep ]] && mv "$keep" "$store/cache/mounts"
      ;;
    buildah)
      local node
      for node in "${nodes[@]}"; do bh rmi -f "localhost/corp/$node" >/dev/null 2>&1 || true; done
      bh rmi --prune >/dev/null 2>&1 || true
      ;;
    buildkit)
      local node
      for node in "${nodes[@]}"; do bk image rm -f "corp/$node" >/dev/null 2>&1 || true; done
      bk image prune -f >/dev/null
      # Every build record but the cache mounts (type exec.cachemount); the filter has no "!=".
      local type
      for type in regular source.local source.git.checkout internal frontend; do
        bk buildx prune -af --filter "type=$type" >/dev/null
      done
      ;;
  esac
  seed "$tool"
}

# ---------------------------------------------------------------------------------------------
# One build of the whole graph, as a user of each tool would run it.

build_node() {
  local tool=$1 node=$2 dir=$work/$1/proj
  case $tool in
    buildah)
      bh bud --layers --pull=never --network host -t "corp/$node" \
        -f "$dir/$node/Containerfile" "$dir/$node"
      ;;
    buildkit)
      bk buildx build --progress plain --network host -t "corp/$node" \
        -f "$dir/$node/Containerfile" "$dir/$node"
      ;;
  esac
}

build_all() {
  local tool=$1 wave node pids failed
  if [[ $tool == strata ]]; then
    "$root/bin/strata" build --store "$work/strata/store" --progress plain \
      --compression "$compression" "$work/strata/proj"
    return
  fi
  for wave in "${waves[@]}"; do
    pids=()
    for node in $wave; do
      build_node "$tool" "$node" >"$work/$tool/$node.log" 2>&1 &
      pids+=($!)
    done
    failed=0
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
    for node in $wave; do cat "$work/$tool/$node.log"; done
    ((failed == 0)) || return 1
  done
}

# Prints the wall-clock milliseconds of one build; its output goes to $work/<tool>/last.log.
timed_build() {
  local tool=$1 what=$2 start end
  start=$(date +%s%N)
  if ! build_all "$tool" >"$work/$tool/last.log" 2>&1; then
    tail -n 30 "$work/$tool/last.log" >&2
    die "$tool failed the $what build (log: $work/$tool/last.log)"
  fi
  end=$(date +%s%N)
  cp "$work/$tool/last.log" "$work/$tool/$what.log"
  echo $(((end - start) / 1000000))
}

# The scenarios' edits: new content each time, so that no tool finds it in its cache.
edit_leaf() {
  echo "# bench edit $(date +%s%N)" >>"$work/$1/proj/web-server/files/etc/nginx/sites-available/corp.conf"
}
edit_soe() {
  sed -i -E "s/^ARG SOE_VERSION=.*/ARG SOE_VERSION=2025.06.$(date +%s%N)/" \
    "$work/$1/proj/soe/Containerfile"
}

# ---------------------------------------------------------------------------------------------

mkdir -p "$work"
"$root/bin/strata" --version >/dev/null # builds the jar once, outside the timings
command -v buildah >/dev/null || die "buildah is missing (scripts/setup-machine.sh installs it)"
for t in "${tools[@]}"; do
  [[ $t == buildkit ]] && start_buildkit_daemon
  prepare_project "$t"
  mkdir -p "$work/$t"
  # The first build in a fresh $BENCH_DIR fills the tool's apt cache mount; it is not timed.
  if [[ ! -e $work/$t/primed ]]; then
    log "priming $t's apt cache with one untimed build"
    make_cold "$t"
    timed_build "$t" prime >/dev/null
    touch "$work/$t/primed"
  fi
done

[[ ${1:-} == --prime ]] && exit 0

declare -A times
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%MZ)
for ((i = 1; i <= runs; i++)); do
  for t in "${tools[@]}"; do
    if ((i <= cold_runs)); then
      make_cold "$t"
      times[$t,cold]+="$(timed_build "$t" cold) "
    fi
    times[$t,noop]+="$(timed_build "$t" noop) "
    edit_leaf "$t"
    times[$t,leaf]+="$(timed_build "$t" leaf) "
    edit_soe "$t"
    times[$t,soe]+="$(timed_build "$t" soe) "
    log "run $i/$runs $t: cold ${times[$t,cold]:-} | no-op ${times[$t,noop]} | leaf ${times[$t,leaf]} | soe ${times[$t,soe]}"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
seconds() { [[ -n $1 ]] && awk -v m="$1" 'BEGIN { printf "%.1f s", m / 1000 }' || echo "-"; }

echo "examples/soe, $(date -u +%Y-%m-%d) (started $started), $(nproc) CPUs, $(hostname)"
echo "load average (1/5/15 min): before $load_before, after $load_after"
echo "Strata layer compression: $compression"
echo "runs: $runs (cold: $cold_runs); medians in seconds; ratio = Strata / faster peer"
printf '%-10s %10s %10s %10s %8s %6s\n' scenario Strata buildah BuildKit ratio goal
for s in cold noop leaf soe; do
  declare -A med=()
  for t in strata buildah buildkit; do
    # shellcheck disable=SC2086
    [[ -n ${times[$t,$s]:-} ]] && med[$t]=$(median ${times[$t,$s]})
  done
  peer=""
  for t in buildah buildkit; do
    [[ -n ${med[$t]:-} ]] && { [[ -z $peer ]] || ((med[$t] < peer)); } && peer=${med[$t]}
  done
  ratio="-"
  [[ -n ${med[strata]:-} && -n $peer ]] && ratio=$(awk -v a="${med[strata]}" -v b="$peer" 'BEGIN { printf "%.2fx", a / b }')
  case $s in cold) goal="<=1.0x" ;; noop) goal="<=0.2x" ;; leaf) goal="<=0.5x" ;; soe) goal="<=0.8x" ;; esac
  name=$s
  [[ $s == noop ]] && name=no-op
  printf '%-10s %10s %10s %10s %8s %6s\n' "$name" "$(seconds "${med[strata]:-}")" \
    "$(seconds "${med[buildah]:-}")" "$(seconds "${med[buildkit]:-}")" "$ratio" "$goal"
  unset med
done
echo "all runs (ms):"
for t in "${tools[@]}"; do
  echo "  $t: cold ${times[$t,cold]:-}| no-op ${times[$t,noop]}| leaf ${times[$t,leaf]}| soe ${times[$t,soe]}"
done
