#!/usr/bin/env python3
"""Writes a synthetic SOE hierarchy of 1,000 nodes, depth 5, into the folder given.

Levels: 1 base, 4 SOEs, 20 platform images, 175 team images, 800 role images. Each node has a
realistic Containerfile (ARG, RUN, three COPYs of real files, LABEL) and its own context folder.
"""
import os
import sys

out = sys.argv[1]
levels = [1, 4, 20, 175, 800]
nodes = []  # (name, parent or None)
previous = []
for depth, count in enumerate(levels):
    current = []
    for i in range(count):
        name = f"l{depth}-n{i:04d}"
        parent = previous[i % len(previous)] if previous else None
        nodes.append((name, parent))
        current.append(name)
    previous = current

os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "strata.yaml"), "w") as f:
    f.write("images:\n")
    for name, _ in nodes:
        f.write(f"  {name}: {{ containerfile: {name}/Containerfile, aliases: [corp/{name}] }}\n")
for name, parent in nodes:
    d = os.path.join(out, name)
    os.makedirs(os.path.join(d, "files", "etc"), exist_ok=True)
    base = f"corp/{parent}" if parent else "docker.io/library/debian:bookworm"
    with open(os.path.join(d, "Containerfile"), "w") as f:
        f.write(
            f"# syntax=docker/dockerfile:1\nFROM {base}\nARG VERSION=1.0\n"
            "RUN --mount=type=cache,target=/var/cache/apt apt-get update \\\n"
            " && apt-get install -y --no-install-recommends chrony rsyslog \\\n"
            " && rm -rf /var/lib/apt/lists/*\n"
            "COPY files/etc/ /etc/\n"
            f"COPY --chmod=0755 files/{name}.sh /usr/local/bin/{name}.sh\n"
            "COPY files/motd /etc/motd\n"
            f'LABEL org.opencontainers.image.title="{name}" version="${{VERSION}}"\n'
            f'RUN /usr/local/bin/{name}.sh\n')
    for i in range(3):
        with open(os.path.join(d, "files", "etc", f"{name}-{i}.conf"), "w") as f:
            f.write(f"# {name} config {i}\nsetting = {i}\n" * 20)
    with open(os.path.join(d, "files", f"{name}.sh"), "w") as f:
        f.write("#!/bin/sh\necho configured\n")
    with open(os.path.join(d, "files", "motd"), "w") as f:
        f.write(f"Welcome to {name}\n")
print(f"{len(nodes)} nodes in {out}")
