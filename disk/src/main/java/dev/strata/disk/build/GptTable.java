package dev.strata.disk.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes the GPT of {@link DiskLayout} onto a disk file with {@code sgdisk} (no loop device). */
final class GptTable {
  /** The BIOS boot partition type (a placeholder: BIOS boot is not installed). */
  static final String BIOS_BOOT = "EF02";

  static final String EFI_SYSTEM = "EF00";

  /** "Linux x86-64 root (/)" of the Discoverable Partitions Specification. */
  static final String LINUX_ROOT_X86_64 = "8304";

  private GptTable() {}

  static void write(Path disk, DiskLayout layout, DiskIdentity ids) throws DiskBuildException {
    HostTool.SGDISK.run(
        List.of(
            "-o",
            "-U",
            ids.diskGuid().toString(),
            "-n",
            "1:" + layout.biosStart() + ":" + layout.biosEnd(),
            "-t",
            "1:" + BIOS_BOOT,
            "-c",
            "1:BIOS-BOOT",
            "-n",
            "2:" + layout.espStart() + ":" + layout.espEnd(),
            "-t",
            "2:" + EFI_SYSTEM,
            "-c",
            "2:EFI-SYSTEM",
            "-u",
            "2:" + ids.espPartUuid(),
            "-n",
            "3:" + layout.rootStart() + ":" + layout.rootEnd(),
            "-t",
            "3:" + LINUX_ROOT_X86_64,
            "-c",
            "3:root",
            "-u",
            "3:" + ids.rootPartUuid(),
            disk.toString()),
        null,
        Map.of());
  }
}
