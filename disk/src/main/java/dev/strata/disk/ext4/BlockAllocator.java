package dev.strata.disk.ext4;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which blocks of the filesystem are taken. Metadata is placed first at fixed spots; everything
 * else comes from one cursor moving forward, so data is laid out in the order it is allocated and a
 * file's blocks are contiguous except where they step over metadata.
 */
final class BlockAllocator {
  /** A run of contiguous blocks. */
  record Run(long start, long length) {}

  private final long blocks;
  private final BitSet used;
  private long cursor;

  BlockAllocator(long blocks) {
    if (blocks > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many blocks for this allocator: " + blocks);
    }
    this.blocks = blocks;
    this.used = new BitSet((int) blocks);
  }

  void mark(long start, long length) {
    used.set((int) start, (int) (start + length));
  }

  boolean isUsed(long block) {
    return used.get((int) block);
  }

  /** The first free run of {@code length} blocks at or after {@code from}, marked taken. */
  long contiguous(long length, long from) throws Ext4Exception {
    long start = from;
    while (true) {
      start = used.nextClearBit((int) start);
      if (start + length > blocks) {
        throw full(length);
      }
      int next = used.nextSetBit((int) start);
      if (next < 0 || next >= start + length) {
        mark(start, length);
        return start;
      }
      start = next;
    }
  }

  /** Moves the cursor of {@link #next} to {@code block}. */
  void startAt(long block) {
    cursor = block;
  }

  /** {@code length} blocks from the cursor, as few runs as the metadata in the way allows. */
  List<Run> next(long length) throws Ext4Exception {
    List<Run> runs = new ArrayList<>();
    long left = length;
    while (left > 0) {
      long start = used.nextClearBit((int) cursor);
      if (start >= blocks) {
        throw full(length);
      }
      int next = used.nextSetBit((int) start);
      long end = next < 0 ? blocks : Math.min(next, blocks);
      long take = Math.min(left, end - start);
      mark(start, take);
      runs.add(new Run(start, take));
      left -= take;
      cursor = start + take;
    }
    return runs;
  }

  /** One block from the cursor. */
  long nextBlock() throws Ext4Exception {
    return next(1).get(0).start();
  }

  /** How many blocks in {@code [start, start + length)} are free. */
  int freeIn(long start, int length) {
    return length - used.get((int) start, (int) (start + length)).cardinality();
  }

  private Ext4Exception full(long length) {
    return new Ext4Exception(
        "the filesystem is full: no room for "
            + length
            + " more blocks of 4 KiB; make the root partition larger");
  }
}
