package dev.strata.bridge.run;

import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.dsl.instructions.NetworkMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a RUN is launched without an OCI runtime: with bubblewrap, or with util-linux {@code unshare}
 * and {@code chroot(2)} (DESIGN.md decision 2). Both give what {@link OciRuntimeSpec} gives runc
 * (bubblewrap also its {@link SyncFilter}; chroot has no way to install one): pid, ipc, uts and
 * mount namespaces (network too for {@code --network=none}), a fresh {@code /proc}, a minimal
 * {@code /dev}, {@code /sys} read-only, the RUN's mounts, Docker's default capability set, the user
 * and groups, the working directory and the environment. The launcher script runs in a private
 * mount namespace with the overlay at {@code merged} (relative to its working directory); the
 * sandbox's environment is the launcher's, which the executor sets to the RUN's (so secrets given
 * as env never appear on a command line).
 */
final class NamespaceSandbox {
  /** Flags for the launcher's {@code unshare}, lines for its script, the command it execs. */
  record Launch(List<String> launcherFlags, List<String> setup, List<String> exec) {}

  private static final String MERGED = "merged";
  private static final int SYNC_FILTER_FD = 9;

  private NamespaceSandbox() {}

  /**
   * The RUN's command as its USER (uid, gid, supplementary groups) with Docker's default
   * capabilities as the bounding set, switched by the host's setpriv.
   */
  private static List<String> asUser(HostSetpriv setpriv, RunRequest request) {
    return setpriv.command(
        request.user().uid(),
        request.user().gid(),
        request.groups(),
        OciRuntimeSpec.DEFAULT_CAPABILITIES,
        request.command().argv());
  }

  /** Bubblewrap: {@code --bind merged /} and the rest as bwrap options. */
  static Launch bwrap(
      Path bwrap,
      HostSetpriv setpriv,
      RunRequest request,
      RootfsView lowers,
      List<OciRuntimeSpec.Mount> mounts,
      String workdir,
      String hostname,
      Path emptyFile,
      Optional<Path> syncFilter)
      throws IOException {
    List<String> flags = new ArrayList<>();
    List<String> setup = new ArrayList<>();
    if (syncFilter.isPresent()) {
      // bwrap reads the compiled filter from a descriptor; the launcher opens it before exec.
      setup.add("exec " + SYNC_FILTER_FD + "< " + q(syncFilter.get().toString()));
    }
    if (request.network() == NetworkMode.NONE) {
      // The launcher's own network namespace, so the sysfs mounted below shows its interfaces.
      flags.add("--net");
    }
    setup.add(mountSysfs());
    List<String> w = new ArrayList<>();
    w.add(bwrap.toString());
    w.addAll(List.of("--bind", MERGED, "/", "--proc", "/proc", "--dev", "/dev"));
    w.addAll(List.of("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", hostname));
    w.addAll(List.of("--die-with-parent", "--new-session"));
    w.addAll(bwrapKernelPaths(emptyFile));
    if (syncFilter.isPresent()) {
      w.addAll(List.of("--seccomp", Integer.toString(SYNC_FILTER_FD)));
    }
    w.addAll(List.of("--cap-drop", "ALL"));
    for (String cap : OciRuntimeSpec.DEFAULT_CAPABILITIES) {
      w.addAll(List.of("--cap-add", cap));
    }
    for (OciRuntimeSpec.Mount m : mounts) {
      // Symlinks in the target are resolved inside the image, never through bwrap's own root.
      String target = lowers.resolve(m.destination(), true);
      if (m.type().equals("tmpfs")) {
        for (String option : m.options()) {
          if (option.startsWith("size=")) {
            w.addAll(List.of("--size", option.substring("size=".length())));
          }
        }
        w.addAll(List.of("--tmpfs", target));
      } else {
        boolean ro = m.options().contains("ro");
        w.addAll(List.of(ro ? "--ro-bind" : "--bind", m.source(), target));
      }
    }
    for (Map.Entry<String, Path> f : setpriv.files().entrySet()) {
      w.addAll(List.of("--ro-bind", f.getValue().toString(), HostSetpriv.DIR + "/" + f.getKey()));
    }
    w.addAll(List.of("--chdir", workdir, "--"));
    // bwrap as root bounds the effective set but leaves the bounding set whole: setpriv bounds it
    w.addAll(asUser(setpriv, request));
    return new Launch(flags, setup, w);
  }

  /**
   * unshare+chroot: the launcher takes uts, ipc (and network) namespaces and mounts everything onto
   * the overlay, then {@code unshare --pid --fork} mounts {@code /proc} and chroots, and setpriv
   * switches user and bounds the capabilities.
   */
  static Launch chroot(
      Path unshare,
      HostSetpriv setpriv,
      RunRequest request,
      RootfsView lowers,
      List<OciRuntimeSpec.Mount> mounts,
      String workdir,
      String hostname,
      List<String> envRestore)
      throws IOException {
    List<String> flags = new ArrayList<>(List.of("--uts", "--ipc"));
    if (request.network() == NetworkMode.NONE) {
      flags.add("--net");
    }
    List<String> setup = new ArrayList<>();
    setup.add("printf %s " + q(hostname) + " > /proc/sys/kernel/hostname");
    setup.add(mountSysfs());
    String dev = MERGED + "/dev";
    setup.add("mount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k tmpfs " + dev);
    for (String node :
        List.of("null 1 3", "zero 1 5", "full 1 7", "random 1 8", "urandom 1 9", "tty 5 0")) {
      String[] f = node.split(" ");
      setup.add("mknod -m 666 " + dev + "/" + f[0] + " c " + f[1] + " " + f[2]);
    }
    setup.add("ln -s /proc/self/fd " + dev + "/fd");
    setup.add("ln -s /proc/self/fd/0 " + dev + "/stdin");
    setup.add("ln -s /proc/self/fd/1 " + dev + "/stdout");
    setup.add("ln -s /proc/self/fd/2 " + dev + "/stderr");
    setup.add("ln -s pts/ptmx " + dev + "/ptmx");
    setup.add("mkdir " + dev + "/pts " + dev + "/shm " + dev + "/mqueue");
    setup.add(
        "mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "
            + dev
            + "/pts");
    setup.add("mount -t tmpfs -o nosuid,noexec,nodev,mode=1777,size=65536k shm " + dev + "/shm");
    setup.add("mount -t mqueue -o nosuid,noexec,nodev mqueue " + dev + "/mqueue");
    for (OciRuntimeSpec.Mount m : mounts) {
      String target = q(MERGED + lowers.resolve(m.destination(), true));
      boolean underDev = m.destination().startsWith("/dev/");
      if (m.type().equals("tmpfs")) {
        if (underDev) {
          setup.add("mkdir -p " + target);
        }
        List<String> options = new ArrayList<>(m.options());
        setup.add("mount -t tmpfs -o " + q(String.join(",", options)) + " tmpfs " + target);
        continue;
      }
      Path source = Path.of(m.source());
      if (underDev) {
        setup.add(Files.isDirectory(source) ? "mkdir -p " + target : ": > " + target);
      }
      boolean ro = m.options().contains("ro");
      setup.add("mount --rbind " + q(m.source()) + " " + target);
      setup.add("mount -o remount,bind," + (ro ? "ro" : "rw") + ",nosuid,nodev " + target);
    }
    setup.add("mkdir " + MERGED + HostSetpriv.DIR);
    for (Map.Entry<String, Path> f : setpriv.files().entrySet()) {
      String target = q(MERGED + HostSetpriv.DIR + "/" + f.getKey());
      setup.add(": > " + target);
      setup.add("mount --bind " + q(f.getValue().toString()) + " " + target);
      setup.add("mount -o remount,bind,ro " + target);
    }
    List<String> inChroot =
        new ArrayList<>(List.of(unshare.toString(), "--root=" + MERGED, "--wd=" + workdir, "--"));
    inChroot.addAll(asUser(setpriv, request));
    // pid 1 of the new pid namespace mounts its /proc, masks it as runc does, then execs the
    // chroot.
    List<String> init = new ArrayList<>();
    init.add("set -e");
    init.add("PATH=" + q(RunExecutor.HOST_PATH));
    init.add("mount -t proc -o nosuid,noexec,nodev proc " + MERGED + "/proc");
    for (String path : OciRuntimeSpec.MASKED_PATHS) {
      String p = q(MERGED + path);
      init.add(
          "if [ -d "
              + p
              + " ]; then mount -t tmpfs -o ro,nosuid,nodev,noexec tmpfs "
              + p
              + "; elif [ -e "
              + p
              + " ]; then mount --bind /dev/null "
              + p
              + "; fi");
    }
    for (String path : OciRuntimeSpec.READONLY_PATHS) {
      String p = q(MERGED + path);
      init.add(
          "if [ -e "
              + p
              + " ]; then mount --bind "
              + p
              + " "
              + p
              + " && mount -o remount,bind,ro,nosuid,nodev,noexec "
              + p
              + "; fi");
    }
    init.addAll(envRestore);
    init.add("exec " + RunExecutor.words(inChroot));
    List<String> w =
        List.of(
            unshare.toString(),
            "--pid",
            "--fork",
            "--kill-child",
            "--",
            "/bin/sh",
            "-c",
            String.join("\n", init));
    return new Launch(flags, setup, w);
  }

  /**
   * bwrap options masking and write-protecting kernel paths as runc's default spec does; files are
   * masked with an empty read-only file, as bwrap binds are {@code nodev} (no {@code /dev/null}).
   */
  private static List<String> bwrapKernelPaths(Path emptyFile) {
    List<String> w = new ArrayList<>();
    for (String path : OciRuntimeSpec.MASKED_PATHS) {
      Path host = Path.of(path);
      if (Files.isDirectory(host)) {
        w.addAll(List.of("--tmpfs", path, "--remount-ro", path));
      } else if (Files.exists(host)) {
        w.addAll(List.of("--ro-bind", emptyFile.toString(), path));
      }
    }
    for (String path : OciRuntimeSpec.READONLY_PATHS) {
      // The host's procfs: these entries are the kernel's, not a pid namespace's.
      w.addAll(List.of("--ro-bind-try", path, path));
    }
    return w;
  }

  private static String mountSysfs() {
    return "mount -t sysfs -o ro,nosuid,nodev,noexec sysfs " + MERGED + "/sys";
  }

  private static String q(String word) {
    return RunExecutor.quote(word);
  }
}
