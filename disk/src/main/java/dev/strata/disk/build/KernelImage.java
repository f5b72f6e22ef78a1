package dev.strata.disk.build;

import dev.strata.bridge.rootfs.RootfsView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel and initramfs a disk image boots: {@code /usr/lib/modules/$kver/{vmlinuz,
 * initramfs.img}} (the bootc contract), or else {@code /boot/{vmlinuz,initrd.img}-$kver} (plain
 * Debian). Exactly one kernel version must be present.
 */
public record KernelImage(String version, Path kernel, Path initramfs) {

  /** Finds the one kernel of an image's merged rootfs. */
  public static KernelImage find(RootfsView rootfs) throws IOException {
    String modules = "/usr/lib/modules";
    List<String> versions = new ArrayList<>();
    Optional<Path> dir = rootfs.lookup(modules);
    if (dir.isPresent() && Files.isDirectory(dir.get(), LinkOption.NOFOLLOW_LINKS)) {
      for (String name : rootfs.list(modules)) {
        Optional<Path> entry = rootfs.lookup(modules + "/" + name);
        if (entry.isPresent() && Files.isDirectory(entry.get(), LinkOption.NOFOLLOW_LINKS)) {
          versions.add(name);
        }
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
    String kdir = modules + "/" + kver;
    Path kernel = firstRegular(rootfs, kdir + "/vmlinuz", "/boot/vmlinuz-" + kver);
    Path initramfs = firstRegular(rootfs, kdir + "/initramfs.img", "/boot/initrd.img-" + kver);
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

  private static Path firstRegular(RootfsView rootfs, String... candidates) throws IOException {
    for (String c : candidates) {
      // never followed: an image symlink to an absolute path would name a file of the host
      Optional<Path> p = rootfs.lookup(c);
      if (p.isPresent() && Files.isRegularFile(p.get(), LinkOption.NOFOLLOW_LINKS)) {
        return p.get();
      }
    }
    return null;
  }
}
