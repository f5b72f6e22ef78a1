package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small three-node chain on a busybox rootfs, fast to build without RUN: {@code base} (a bootc
 * label, the rootfs's dpkg database of two packages, a fake kernel for disks) → {@code soe} (one
 * package more) → {@code app} (one more again, {@code disk: [qcow2]}). Package sets change by
 * COPYing a new {@code var/lib/dpkg/status}, which is what the SBOM and the catalog read.
 */
final class ChainProject {
  static final String KVER = "6.1.0-99-amd64";

  final Path root;
  final Path store;
  final Path rootfsTarball;

  private ChainProject(Path root) {
    this.root = root;
    this.store = root.resolve("store");
    this.rootfsTarball = root.resolve("rootfs.tgz");
  }

  /**
   * Writes the rootfs tarball and the project under {@code dir}; {@code registry} (e.g. {@code
   * localhost:5000/t1}) goes to strata.yaml with its host as insecure, when not null.
   */
  static ChainProject create(Path dir, String registry, String insecureHost) throws Exception {
    ChainProject p = new ChainProject(dir);
    Path rootfs = dir.resolve("rootfs");
    p.write(rootfs, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
    p.write(rootfs, "etc/group", "root:x:0:\n");
    p.write(rootfs, "etc/os-release", "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12\"\n");
    p.write(rootfs, "var/lib/dpkg/status", status("base-files", "busybox"));
    p.write(
        rootfs,
        "usr/share/doc/busybox/copyright",
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
            + "Files: *\nLicense: GPL-2\n");
    p.write(rootfs, "usr/lib/modules/" + KVER + "/vmlinuz", "fake kernel");
    p.write(rootfs, "usr/lib/modules/" + KVER + "/initramfs.img", "fake initramfs");
    Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(Path.of("/usr/bin/busybox"), rootfs.resolve("bin/busybox"));
    Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("busybox"));
    Process tar =
        new ProcessBuilder("tar", "-C", rootfs.toString(), "-czf", p.rootfsTarball.toString(), ".")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();

    Path project = p.project();
    p.write(
        project,
        "base/Containerfile",
        "FROM corp/rootfs:1\nLABEL containers.bootc=1\nCOPY motd /etc/motd\n");
    p.write(project, "base/motd", "base\n");
    p.write(
        project,
        "soe/Containerfile",
        "FROM base\nCOPY status /var/lib/dpkg/status\nCOPY agent.conf /etc/agent.conf\n");
    p.write(project, "soe/agent.conf", "agent=1\n");
    p.setPackages("soe", "base-files", "busybox", "ca-certificates");
    p.write(
        project,
        "app/Containerfile",
        "FROM soe\nCOPY status /var/lib/dpkg/status\nCOPY app.conf /etc/app.conf\n");
    p.write(project, "app/app.conf", "x=1\n");
    p.setPackages("app", "base-files", "busybox", "ca-certificates", "postgresql-15");
    StringBuilder yaml = new StringBuilder();
    if (registry != null) {
      yaml.append("registry: ").append(registry).append('\n');
      yaml.append("insecure-registries: [").append(insecureHost).append("]\n");
    }
    yaml.append("images:\n")
        .append("  base: { containerfile: base/Containerfile, image: base }\n")
        .append("  soe: { containerfile: soe/Containerfile, image: soe }\n")
        .append("  app: { containerfile: app/Containerfile, image: app, disk: [qcow2] }\n");
    p.write(project, "strata.yaml", yaml.toString());
    return p;
  }

  Path project() {
    return root.resolve("project");
  }

  /** The packages {@code node} installs (its COPYed dpkg database). */
  void setPackages(String node, String... packages) throws IOException {
    write(project(), node + "/status", status(packages));
  }

  void write(Path base, String relative, String text) throws IOException {
    Path file = base.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** A dpkg status file listing {@code names}, each installed at version 1.0-1. */
  static String status(String... names) {
    List<String> paragraphs = new ArrayList<>();
    for (String name : names) {
      paragraphs.add(
          "Package: "
              + name
              + "\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n"
              + "Description: "
              + name
              + "\n");
    }
    return String.join("\n", paragraphs);
  }

  /**
   * Runs strata in-process with {@code --store} of this project; a build without {@code
   * --disk-output} writes its disk images beside the store, never into the working folder.
   */
  CliRun strata(String... args) {
    if (args.length > 0 && args[0].equals("build") && !List.of(args).contains("--disk-output")) {
      List<String> withDisks = new ArrayList<>(List.of(args));
      withDisks.addAll(1, List.of("--disk-output", store.resolveSibling("disks").toString()));
      return strataWith(store, withDisks.toArray(String[]::new));
    }
    return strataWith(store, args);
  }

  static CliRun strataWith(Path store, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--store";
    all[args.length + 1] = store.toString();
    return CliRun.of(all);
  }

  /** Imports the rootfs as corp/rootfs:1 into the store. */
  void importRootfs() {
    CliRun run = strata("import", rootfsTarball.toString(), "corp/rootfs:1");
    assertThat(run.exitCode()).as(run.err()).isZero();
  }
}
