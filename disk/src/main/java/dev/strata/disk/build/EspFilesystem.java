package dev.strata.disk.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The EFI system partition: FAT32 made by {@code mkfs.vfat --offset} straight into the ESP of the
 * disk file, then filled by one recursive {@code mcopy} from a folder laid out on the host. mtools
 * addresses the partition as {@code disk@@offset}, so nothing is mounted.
 */
final class EspFilesystem {
  static final String LABEL = "EFI-SYSTEM";

  /** mtools refuses FAT geometries it finds odd unless told not to check. */
  static final Map<String, String> MTOOLS_ENV = Map.of("MTOOLS_SKIP_CHECK", "1");

  private EspFilesystem() {}

  static void write(Path disk, DiskLayout layout, DiskIdentity ids, Path espTree)
      throws IOException {
    HostTool.MKFS_VFAT.run(
        List.of(
            "-F",
            "32",
            "-n",
            LABEL,
            "-i",
            ids.espVolumeId(),
            // mkfs.vfat sizes clusters from the whole file, not the partition: say it (Microsoft's
            // FAT32 table: 512-byte clusters up to 260 MiB, 4 KiB up to 8 GiB)
            "-s",
            layout.espSectors() * DiskLayout.SECTOR <= (260L << 20) ? "1" : "8",
            "--offset=" + layout.espStart(),
            disk.toString(),
            Long.toString(layout.espSectors() * DiskLayout.SECTOR / 1024)),
        null,
        Map.of());
    List<String> args = new ArrayList<>(List.of("-s", "-Q", "-i", image(disk, layout)));
    try (Stream<Path> top = Files.list(espTree)) {
      top.sorted().forEach(p -> args.add(p.toString()));
    }
    args.add("::/");
    HostTool.MCOPY.run(args, null, MTOOLS_ENV);
  }

  /** The mtools image argument for the ESP of {@code disk}. */
  static String image(Path disk, DiskLayout layout) {
    return disk + "@@" + layout.espStart() * DiskLayout.SECTOR;
  }
}
