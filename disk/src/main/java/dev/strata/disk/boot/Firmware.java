package dev.strata.disk.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The UEFI firmware QEMU boots with: OVMF's 4 MiB code and variable-store template (Debian ovmf).
 */
public record Firmware(Path code, Path varsTemplate) {
  private static final List<Path[]> CANDIDATES =
      List.of(
          new Path[] {
            Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd"), Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd")
          },
          new Path[] {
            Path.of("/usr/share/edk2/ovmf/OVMF_CODE.fd"),
            Path.of("/usr/share/edk2/ovmf/OVMF_VARS.fd")
          });

  /** The installed OVMF, or an error naming the package. */
  public static Firmware ovmf() throws IOException {
    for (Path[] pair : CANDIDATES) {
      if (Files.isRegularFile(pair[0]) && Files.isRegularFile(pair[1])) {
        return new Firmware(pair[0], pair[1]);
      }
    }
    throw new IOException(
        "OVMF (UEFI firmware for QEMU) is not installed: install the Debian package 'ovmf'"
            + " (scripts/setup-machine.sh installs it)");
  }
}
