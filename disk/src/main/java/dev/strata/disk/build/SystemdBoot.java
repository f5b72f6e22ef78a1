package dev.strata.disk.build;

import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.disk.fat.FatTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The EFI system partition's content for systemd-boot: the loader as the removable-media path
 * {@code \EFI\BOOT\BOOTX64.EFI} (firmware without a boot entry falls back to it), the kernel and
 * initramfs (systemd-boot reads only FAT), {@code loader/loader.conf}, and one Boot Loader
 * Specification entry. The loader comes from the image when it ships systemd-boot, else from the
 * host ({@code systemd-boot-efi}).
 */
final class SystemdBoot {
  static final String EFI_BINARY = "usr/lib/systemd/boot/efi/systemd-bootx64.efi";

  private SystemdBoot() {}

  /** The loader binary to install, and whether it came from the image. */
  static Path loader(RootfsView rootfs) throws IOException {
    Optional<Path> fromImage = rootfs.lookup(EFI_BINARY);
    if (fromImage.isPresent() && Files.isRegularFile(fromImage.get(), LinkOption.NOFOLLOW_LINKS)) {
      return fromImage.get();
    }
    Path fromHost = Path.of("/").resolve(EFI_BINARY);
    if (Files.isRegularFile(fromHost)) {
      return fromHost;
    }
    throw new DiskBuildException(
        "no systemd-boot EFI binary: the image has no /"
            + EFI_BINARY
            + " and neither has this machine; install the Debian package 'systemd-boot-efi'"
            + " (scripts/setup-machine.sh installs it)");
  }

  /**
   * Puts the ESP's files into {@code esp}: the loader (twice), the kernel and initramfs as host
   * files (read once, when the ESP is written), the loader's configuration and the entry; returns
   * the entry's file name.
   */
  static String populate(
      FatTree esp, Path loader, KernelImage kernel, String entryToken, String title, String options)
      throws IOException {
    esp.file("EFI/BOOT/BOOTX64.EFI", loader);
    esp.file("EFI/systemd/systemd-bootx64.efi", loader);
    String base = "/" + entryToken + "/" + kernel.version();
    esp.file(base + "/linux", kernel.kernel());
    esp.file(base + "/initrd", kernel.initramfs());
    String entryName = entryToken + "-" + kernel.version() + ".conf";
    esp.file(
        "loader/loader.conf",
        ("default " + entryName + "\ntimeout 0\nconsole-mode keep\neditor no\n")
            .getBytes(StandardCharsets.UTF_8));
    esp.file(
        "loader/entries/" + entryName,
        ("title "
                + title
                + "\nversion "
                + kernel.version()
                + "\nlinux "
                + base
                + "/linux\ninitrd "
                + base
                + "/initrd\noptions "
                + options
                + "\n")
            .getBytes(StandardCharsets.UTF_8));
    return entryName;
  }

  /** {@code ID} and {@code PRETTY_NAME} from the image's os-release, with fallbacks. */
  static String[] osIdentity(RootfsEdits stage) throws IOException {
    String text = stage.read("/etc/os-release");
    if (text.isEmpty()) {
      text = stage.read("/usr/lib/os-release");
    }
    String id = field(text, "ID").filter(s -> s.matches("[a-z0-9._-]+")).orElse("linux");
    String pretty = field(text, "PRETTY_NAME").orElse("Linux");
    return new String[] {id, pretty};
  }

  private static Optional<String> field(String osRelease, String key) {
    for (String line : osRelease.split("\n")) {
      if (line.startsWith(key + "=")) {
        String v = line.substring(key.length() + 1).strip();
        if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
          v = v.substring(1, v.length() - 1);
        }
        return Optional.of(v.replaceAll("[\\r\\n]", " "));
      }
    }
    return Optional.empty();
  }
}
