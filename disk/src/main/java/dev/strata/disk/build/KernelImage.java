package dev.strata.disk.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The kernel and initramfs a disk image boots: {@code /usr/lib/modules/$kver/{vmlinuz,
 * initramfs.img}} (the bootc contract), or else {@code /boot/{vmlinuz,initrd.img}-$kver} (plain
 * Debian). Exactly one kernel version must be present.
 */
public record KernelImage(String version, Path kernel, Path initramfs) {

  /** Finds the one kernel of the rootfs at {@code rootfs}. */
  public static KernelImage find(Path rootfs) throws IOException {
    Path modules = rootfs.resolve("usr/lib/modules");
    List<String> versions = new ArrayList<>();
    if (Files.isDirectory(modules, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> list = Files.list(modules)) {
        list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
            .map(p -> p.getFileName().toString())
            .sorted()
            .forEach(versions::add);
      }
    }
    if (versions.isEmpty()) {
      throw new DiskBuildException(
          "the image has no kernel: /usr/lib/modules has no $kver folder; install a kernel in"
              + " the Containerfile");
    }
    if (versions.size() > 1) {
      throw new DiskBuildException(
          "the image has "
              + versions.size()
              + " kernels ("
              + String.join(", ", versions)
              + "); a bootable image needs exactly one");
    }
    String kver = versions.get(0);
    Path dir = modules.resolve(kver);
    Path kernel = firstRegular(dir.resolve("vmlinuz"), rootfs.resolve("boot/vmlinuz-" + kver));
    Path initramfs =
        firstRegular(dir.resolve("initramfs.img"), rootfs.resolve("boot/initrd.img-" + kver));
    if (kernel == null) {
      throw new DiskBuildException(
          "kernel "
              + kver
              + " has no /usr/lib/modules/"
              + kver
              + "/vmlinuz (nor /boot/vmlinuz-"
              + kver
              + ")");
    }
    if (initramfs == null) {
      throw new DiskBuildException(
          "kernel "
              + kver
              + " has no initramfs: expected /usr/lib/modules/"
              + kver
              + "/initramfs.img (or /boot/initrd.img-"
              + kver
              + "); generate it in the Containerfile (dracut, or update-initramfs with MODULES=most)");
    }
    return new KernelImage(kver, kernel, initramfs);
  }

  private static Path firstRegular(Path... candidates) {
    for (Path p : candidates) {
      // never followed: an image symlink to an absolute path would name a file of the host
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        return p;
      }
    }
    return null;
  }
}
