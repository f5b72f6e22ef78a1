# Sourced by scripts that need this machine's Debian archive (setup-machine.sh, seed-debian.sh).
# Defines debian_mirror_url; has no other effect.

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
