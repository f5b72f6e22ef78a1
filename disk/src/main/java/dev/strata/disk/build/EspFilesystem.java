package dev.strata.disk.build;

import dev.strata.disk.fat.FatOptions;
import dev.strata.disk.fat.FatTree;
import dev.strata.disk.fat.FatWriter;
import dev.strata.disk.partition.PartitionWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The EFI system partition: FAT32 written by Strata's own writer ({@link FatWriter}) straight into
 * the ESP of the disk file, labelled {@code EFI-SYSTEM} with this disk's volume id, every entry
 * stamped with the build time. Nothing is mounted and no tool is run.
 */
final class EspFilesystem {
  static final String LABEL = "EFI-SYSTEM";

  private EspFilesystem() {}

  /** Writes {@code tree} as the ESP of {@code disk}, telling {@code progress} of each range. */
  static FatWriter.Summary write(
      Path disk,
      DiskLayout layout,
      DiskIdentity ids,
      FatTree tree,
      PartitionWriter.Progress progress)
      throws IOException {
    FatOptions options =
        new FatOptions(
            LABEL, FatOptions.volumeId(ids.espVolumeId()), layout.espStart(), Instant.now());
    try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      return FatWriter.write(
          tree,
          channel,
          layout.espStart() * DiskLayout.SECTOR,
          layout.espSectors() * DiskLayout.SECTOR,
          options,
          progress);
    }
  }
}
