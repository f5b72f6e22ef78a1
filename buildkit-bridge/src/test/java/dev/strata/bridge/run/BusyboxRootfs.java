package dev.strata.bridge.run;

import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A small base rootfs for RUN tests, built from the host's busybox-static (every applet as a
 * symlink in /bin) and setcap with the libraries it loads, plus a passwd/group, the usual
 * directories and a few files for RUN scripts to delete, replace and link.
 */
final class BusyboxRootfs {
  static final Path BUSYBOX = Path.of("/bin/busybox");

  private BusyboxRootfs() {}

  static boolean available() {
    return Files.isExecutable(BUSYBOX) && Files.isExecutable(Path.of("/usr/sbin/setcap"));
  }

  /** Writes the base layer directory at {@code dir}. */
  static Path layer(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
    for (String applet :
        new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      if (!applet.isBlank() && !applet.equals("busybox") && !applet.contains("[")) {
        Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of("busybox"));
      }
    }
    Files.createDirectories(dir.resolve("usr/sbin"));
    Files.copy(Path.of("/usr/sbin/setcap"), dir.resolve("usr/sbin/setcap"));
    for (String lib :
        List.of(
            "/lib/x86_64-linux-gnu/libcap.so.2",
            "/lib/x86_64-linux-gnu/libc.so.6",
            "/lib64/ld-linux-x86-64.so.2")) {
      Path target = dir.resolve(lib.substring(1));
      Files.createDirectories(target.getParent());
      Files.copy(Path.of(lib).toRealPath(), target);
    }
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(
        etc.resolve("passwd"),
        "root:x:0:0:root:/root:/bin/sh\n"
            + "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
    Files.writeString(
        etc.resolve("group"), "root:x:0:\ndaemon:x:1:\nusers:x:100:\nnogroup:x:65534:\n");
    Files.writeString(etc.resolve("keep.conf"), "keep=1\n");
    Files.writeString(etc.resolve("replace.conf"), "old\n");
    mkdir(dir, "tmp", 01777);
    mkdir(dir, "root", 0700);
    mkdir(dir, "home", 0755);
    for (String d : List.of("proc", "sys", "dev", "run", "var/cache/old", "opt/del-me", "srv")) {
      Files.createDirectories(dir.resolve(d));
    }
    Files.writeString(dir.resolve("var/cache/old/a"), "a\n");
    Files.writeString(dir.resolve("var/cache/old/b"), "b\n");
    Files.writeString(dir.resolve("opt/del-me/file"), "gone soon\n");
    Files.writeString(dir.resolve("srv/data"), "data\n");
    Files.createLink(dir.resolve("srv/data-link"), dir.resolve("srv/data"));
    return dir;
  }

  private static void mkdir(Path root, String rel, int mode) throws IOException {
    Path d = Files.createDirectories(root.resolve(rel));
    Posix.chmod(d, mode);
  }
}
