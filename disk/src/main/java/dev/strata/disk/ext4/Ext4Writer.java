package dev.strata.disk.ext4;

import dev.strata.disk.partition.PartitionWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Writes a {@link FileTree} as an ext4 filesystem straight into a region of a disk file (a
 * partition), with no mkfs, mount or loop device: the whole layout is planned first ({@link
 * Ext4Layout}), then written in offset order with large writes ({@link PartitionWriter}). The
 * region must read as zeros (a fresh sparse file): blocks the filesystem does not use are not
 * written.
 */
public final class Ext4Writer {
  /** What was written: the filesystem's size, what its content took, and what is left. */
  public record Summary(
      long blocks, long freeBlocks, long inodes, long inodesUsed, long dataBytes) {}

  private Ext4Writer() {}

  /**
   * Writes {@code tree} as a filesystem of {@code bytes} (rounded down to 4 KiB) at byte {@code
   * offset} of {@code disk}.
   */
  public static Summary write(
      FileTree tree,
      FileChannel disk,
      long offset,
      long bytes,
      Ext4Options options,
      PartitionWriter.Progress progress)
      throws IOException {
    Ext4Layout layout = Ext4Layout.plan(tree, bytes, options);
    new PartitionWriter(disk, offset, progress).write(layout.chunks());
    Geometry g = layout.geometry();
    return new Summary(
        g.blocks(), layout.freeBlocks(), g.inodes(), layout.inodesUsed(), layout.dataBytes());
  }
}
