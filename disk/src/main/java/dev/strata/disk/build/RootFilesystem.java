package dev.strata.disk.build;

import dev.strata.disk.ext4.Ext4Options;
import dev.strata.disk.ext4.Ext4Writer;
import dev.strata.disk.ext4.FileTree;
import dev.strata.disk.partition.PartitionWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The root ext4 filesystem, written straight into the root partition of the disk file. By default
 * Strata's own writer ({@link Ext4Writer}) writes the rootfs tree, with this disk's edits already
 * applied, in a few large writes. {@code STRATA_EXT4_WRITER=mkfs} selects {@code mkfs.ext4 -d}
 * instead (then the edits go in afterwards with debugfs): {@code nodiscard} keeps mke2fs from
 * punching holes across the rest of the file; the journal and inode tables are not zeroed ({@code
 * lazy_*_init}) because the fresh sparse file already reads as zeros there; {@code orphan_file} and
 * {@code metadata_csum_seed} (defaults of e2fsprogs 1.47) are left out so older kernels such as
 * RHEL 9's can mount it.
 */
final class RootFilesystem {
  static final String LABEL = "root";
  static final String WRITER_ENV = "STRATA_EXT4_WRITER";

  private RootFilesystem() {}

  /** Whether {@code mkfs.ext4 -d} was asked for instead of the native writer. */
  static boolean useMkfs() throws DiskBuildException {
    String writer = System.getenv(WRITER_ENV);
    if (writer == null || writer.isEmpty() || writer.equals("native")) {
      return false;
    }
    if (writer.equals("mkfs")) {
      return true;
    }
    throw new DiskBuildException(
        WRITER_ENV + "=" + writer + " is not a root filesystem writer: use native or mkfs");
  }

  /** Writes {@code tree} with the native writer, telling {@code progress} of each final range. */
  static Ext4Writer.Summary write(
      Path disk,
      DiskLayout layout,
      DiskIdentity ids,
      FileTree tree,
      PartitionWriter.Progress progress)
      throws IOException {
    long offset = layout.rootStart() * DiskLayout.SECTOR;
    long bytes = layout.rootSectors() * DiskLayout.SECTOR;
    Ext4Options options =
        new Ext4Options(
            ids.rootFsUuid(), LABEL, UUID.randomUUID(), System.currentTimeMillis() / 1000);
    try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      return Ext4Writer.write(tree, channel, offset, bytes, options, progress);
    }
  }

  /** Writes the staged rootfs with {@code mkfs.ext4 -d}. */
  static void writeWithMkfs(Path disk, DiskLayout layout, DiskIdentity ids, Path stage)
      throws DiskBuildException {
    long offset = layout.rootStart() * DiskLayout.SECTOR;
    long kib = layout.rootSectors() * DiskLayout.SECTOR / 1024;
    HostTool.MKFS_EXT4.run(
        List.of(
            "-q",
            "-F",
            "-t",
            "ext4",
            "-L",
            LABEL,
            "-U",
            ids.rootFsUuid().toString(),
            "-O",
            "^orphan_file,^metadata_csum_seed",
            "-E",
            "offset=" + offset + ",nodiscard,lazy_itable_init=1,lazy_journal_init=1,root_owner=0:0",
            "-d",
            stage.toString(),
            disk.toString(),
            kib + "k"),
        null,
        Map.of());
  }
}
