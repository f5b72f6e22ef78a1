package dev.strata.disk.ext4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a file's logical blocks to disk blocks with ext4 extents: up to 4 extents sit in the inode's
 * {@code i_block}; more go to leaf blocks (340 each) indexed from {@code i_block} (depth 1, so up
 * to 1360 extents, about 42 GiB of contiguous data). An extent covers at most 32768 blocks.
 */
final class ExtentTree {
  static final int MAX_LEN = 32768;
  static final int IN_INODE = 4;
  static final int PER_LEAF = (Geometry.BLOCK - 12) / 12;
  private static final short MAGIC = (short) 0xF30A;

  /** One extent: {@code length} blocks from logical block {@code logical} at disk {@code start}. */
  record Extent(long logical, int length, long start) {}

  private ExtentTree() {}

  /** The extents of data laid out in {@code runs}, in file order. */
  static List<Extent> of(List<BlockAllocator.Run> runs) {
    List<Extent> extents = new ArrayList<>();
    long logical = 0;
    for (BlockAllocator.Run run : runs) {
      long done = 0;
      while (done < run.length()) {
        int len = (int) Math.min(MAX_LEN, run.length() - done);
        extents.add(new Extent(logical, len, run.start() + done));
        logical += len;
        done += len;
      }
    }
    return extents;
  }

  /** How many leaf blocks {@code extents} extents need (0 when they fit the inode). */
  static int leafBlocks(int extents, String path) throws Ext4Exception {
    if (extents <= IN_INODE) {
      return 0;
    }
    int leaves = (extents + PER_LEAF - 1) / PER_LEAF;
    if (leaves > IN_INODE) {
      throw new Ext4Exception(
          path
              + " needs "
              + extents
              + " extents; this writer stores at most "
              + IN_INODE * PER_LEAF);
    }
    return leaves;
  }

  /** The 60 bytes of {@code i_block}: the extents themselves, or an index of {@code leaves}. */
  static byte[] inodeBlock(List<Extent> extents, List<Long> leaves) {
    ByteBuffer b = ByteBuffer.allocate(60).order(ByteOrder.LITTLE_ENDIAN);
    if (leaves.isEmpty()) {
      header(b, extents.size(), IN_INODE, 0);
      for (Extent e : extents) {
        extent(b, e);
      }
    } else {
      header(b, leaves.size(), IN_INODE, 1);
      for (int i = 0; i < leaves.size(); i++) {
        long leaf = leaves.get(i);
        b.putInt((int) extents.get(i * PER_LEAF).logical());
        b.putInt((int) leaf);
        b.putShort((short) (leaf >>> 32));
        b.putShort((short) 0);
      }
    }
    return b.array();
  }

  /** Leaf block {@code index} of {@code extents}. */
  static byte[] leaf(List<Extent> extents, int index) {
    ByteBuffer b = ByteBuffer.allocate(Geometry.BLOCK).order(ByteOrder.LITTLE_ENDIAN);
    List<Extent> mine =
        extents.subList(index * PER_LEAF, Math.min(extents.size(), (index + 1) * PER_LEAF));
    header(b, mine.size(), PER_LEAF, 0);
    for (Extent e : mine) {
      extent(b, e);
    }
    return b.array();
  }

  private static void header(ByteBuffer b, int entries, int max, int depth) {
    b.putShort(MAGIC);
    b.putShort((short) entries);
    b.putShort((short) max);
    b.putShort((short) depth);
    b.putInt(0);
  }

  private static void extent(ByteBuffer b, Extent e) {
    b.putInt((int) e.logical());
    b.putShort((short) e.length());
    b.putShort((short) (e.start() >>> 32));
    b.putInt((int) e.start());
  }
}
