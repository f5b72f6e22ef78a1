package dev.strata.disk.fat;

import dev.strata.disk.partition.PartitionWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Writes a {@link FatTree} as a FAT32 filesystem straight into a region of a disk file (a
 * partition), with no mkfs.vfat, mtools, mount or loop device: the whole layout is planned first
 * ({@link FatLayout}, geometry as mkfs.vfat chooses it: {@link FatGeometry}), then written in
 * offset order ({@link PartitionWriter}), each file's bytes copied once from its host file. The
 * region must read as zeros (a fresh sparse file): clusters the filesystem does not use are not
 * written.
 */
public final class FatWriter {
  /** What was written: the filesystem's clusters, how many the tree took, and their size. */
  public record Summary(long clusters, long usedClusters, int clusterBytes) {
    public long freeClusters() {
      return clusters - usedClusters;
    }
  }

  private FatWriter() {}

  /**
   * Writes {@code tree} as a FAT32 filesystem filling {@code bytes} at byte {@code offset} of
   * {@code disk}, telling {@code progress} of each range once written.
   */
  public static Summary write(
      FatTree tree,
      FileChannel disk,
      long offset,
      long bytes,
      FatOptions options,
      PartitionWriter.Progress progress)
      throws IOException {
    FatLayout layout = FatLayout.plan(tree, FatGeometry.of(bytes), options);
    new PartitionWriter(disk, offset, progress).write(layout.chunks());
    FatGeometry g = layout.geometry();
    return new Summary(g.clusters(), layout.usedClusters(), g.clusterBytes());
  }
}
