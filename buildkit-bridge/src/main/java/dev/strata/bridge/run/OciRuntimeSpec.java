package dev.strata.bridge.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.strata.bridge.rootfs.Owner;
import dev.strata.dsl.instructions.NetworkMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code config.json} of a RUN's OCI bundle, as buildah and BuildKit write it
 * (jib-and-layers.md §4.1): pid/ipc/uts/mount namespaces (plus network for {@code --network=none}),
 * Docker's default capabilities for root and none for other users, fresh {@code /proc}, {@code
 * /sys} (read-only), {@code /dev}, the bundle's {@code hosts}/{@code resolv.conf}/{@code hostname}
 * bound read-only, masked and read-only kernel paths, then the RUN's own mounts; and {@link
 * SyncFilter}'s seccomp filter, under which flushes to disk return at once.
 */
final class OciRuntimeSpec {
  private static final ObjectWriter JSON = new ObjectMapper().writerWithDefaultPrettyPrinter();

  /** Docker's and BuildKit's default capability set. */
  static final List<String> DEFAULT_CAPABILITIES =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FSETID",
          "CAP_FOWNER",
          "CAP_MKNOD",
          "CAP_NET_RAW",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETFCAP",
          "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT",
          "CAP_KILL",
          "CAP_AUDIT_WRITE");

  static final List<String> MASKED_PATHS =
      List.of(
          "/proc/acpi",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/sched_debug",
          "/proc/scsi",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/sys/devices/virtual/powercap",
          "/sys/firmware",
          "/sys/fs/selinux",
          "/proc/interrupts");

  static final List<String> READONLY_PATHS =
      List.of(
          "/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  /** One mount of the spec: destination, type, source, options. */
  record Mount(String destination, String type, String source, List<String> options) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("destination", destination);
      m.put("type", type);
      m.put("source", source);
      m.put("options", options);
      return m;
    }

    static Mount bind(String destination, Path source, boolean readOnly) {
      return new Mount(
          destination,
          "bind",
          source.toString(),
          List.of("rbind", readOnly ? "ro" : "rw", "nosuid", "nodev"));
    }
  }

  private OciRuntimeSpec() {}

  /** The whole config.json document. */
  static byte[] render(
      Path rootfs,
      List<String> argv,
      List<String> env,
      Owner user,
      List<Integer> supplementaryGroups,
      String cwd,
      String hostname,
      NetworkMode network,
      List<Mount> extraMounts)
      throws IOException {
    Map<String, Object> process = new LinkedHashMap<>();
    process.put("terminal", false);
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("uid", user.uid());
    u.put("gid", user.gid());
    // The primary group is a supplementary group too, as Docker, buildah and BuildKit set it.
    List<Integer> groups = new ArrayList<>();
    groups.add(user.gid());
    supplementaryGroups.stream().filter(g -> !groups.contains(g)).forEach(groups::add);
    u.put("additionalGids", groups);
    process.put("user", u);
    process.put("args", argv);
    process.put("env", env);
    process.put("cwd", cwd);
    List<String> effective = user.uid() == 0 ? DEFAULT_CAPABILITIES : List.of();
    Map<String, Object> caps = new LinkedHashMap<>();
    caps.put("bounding", DEFAULT_CAPABILITIES);
    caps.put("effective", effective);
    caps.put("permitted", effective);
    caps.put("inheritable", List.of());
    caps.put("ambient", List.of());
    process.put("capabilities", caps);
    process.put("noNewPrivileges", false);

    List<Object> mounts = new ArrayList<>();
    mounts.add(new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")).json());
    mounts.add(
        new Mount(
                "/dev",
                "tmpfs",
                "tmpfs",
                List.of("nosuid", "strictatime", "mode=755", "size=65536k"))
            .json());
    mounts.add(
        new Mount(
                "/dev/pts",
                "devpts",
                "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"))
            .json());
    mounts.add(
        new Mount(
                "/dev/shm",
                "tmpfs",
                "shm",
                List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"))
            .json());
    mounts.add(
        new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")).json());
    mounts.add(
        new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")).json());
    for (Mount m : extraMounts) {
      mounts.add(m.json());
    }

    List<Object> namespaces = new ArrayList<>();
    for (String ns : List.of("pid", "ipc", "uts", "mount")) {
      namespaces.add(Map.of("type", ns));
    }
    if (network == NetworkMode.NONE) {
      namespaces.add(Map.of("type", "network"));
    }
    Map<String, Object> linux = new LinkedHashMap<>();
    linux.put("namespaces", namespaces);
    linux.put("maskedPaths", MASKED_PATHS);
    linux.put("readonlyPaths", READONLY_PATHS);
    linux.put("resources", Map.of("devices", List.of(Map.of("allow", true, "access", "rwm"))));
    linux.put("seccomp", SyncFilter.ociSeccomp());

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("path", rootfs.toString());
    root.put("readonly", false);

    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("ociVersion", "1.0.2");
    spec.put("process", process);
    spec.put("root", root);
    spec.put("hostname", hostname);
    spec.put("mounts", mounts);
    spec.put("linux", linux);
    return JSON.writeValueAsBytes(spec);
  }
}
