package dev.strata.disk.ext4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The ext4 superblock (1024 bytes; at byte 1024 of group 0, at the start of each backup group).
 * Features: has_journal, ext_attr, dir_index; filetype, extent, flex_bg; sparse_super, large_file,
 * huge_file, dir_nlink, extra_isize. No checksums (so no gdt_csum or metadata_csum), no
 * resize_inode, no 64bit: what e2fsck and every kernel since 2.6.28 read.
 */
final class Superblock {
  static final int SIZE = 1024;
  static final int COMPAT = 0x0004 | 0x0008 | 0x0020;
  static final int INCOMPAT = 0x0002 | 0x0040 | 0x0200;
  static final int RO_COMPAT = 0x0001 | 0x0002 | 0x0008 | 0x0020 | 0x0040;

  /** What varies between filesystems. */
  record Values(
      Geometry geometry,
      long freeBlocks,
      long freeInodes,
      long reservedBlocks,
      UUID uuid,
      String label,
      UUID hashSeed,
      long time,
      byte[] journalBlocks,
      long journalBytes) {}

  private Superblock() {}

  static byte[] encode(Values v, int group) {
    Geometry g = v.geometry();
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x00, (int) g.inodes());
    b.putInt(0x04, (int) g.blocks());
    b.putInt(0x08, (int) v.reservedBlocks());
    b.putInt(0x0C, (int) v.freeBlocks());
    b.putInt(0x10, (int) v.freeInodes());
    b.putInt(0x14, 0); // first data block: 0 with 4 KiB blocks
    b.putInt(0x18, 2); // log2(block size) - 10
    b.putInt(0x1C, 2); // clusters are blocks
    b.putInt(0x20, Geometry.BLOCKS_PER_GROUP);
    b.putInt(0x24, Geometry.BLOCKS_PER_GROUP);
    b.putInt(0x28, g.inodesPerGroup());
    b.putInt(0x2C, 0); // last mount
    b.putInt(0x30, (int) v.time()); // last write
    b.putShort(0x34, (short) 0); // mount count
    b.putShort(0x36, (short) -1); // no forced check by mount count
    b.putShort(0x38, (short) 0xEF53);
    b.putShort(0x3A, (short) 1); // cleanly unmounted
    b.putShort(0x3C, (short) 1); // on errors: continue
    b.putInt(0x40, (int) v.time()); // last check
    b.putInt(0x4C, 1); // dynamic revision
    b.putInt(0x54, Inodes.LOST_AND_FOUND); // first non-reserved inode
    b.putShort(0x58, (short) Geometry.INODE_SIZE);
    b.putShort(0x5A, (short) group);
    b.putInt(0x5C, COMPAT);
    b.putInt(0x60, INCOMPAT);
    b.putInt(0x64, RO_COMPAT);
    b.put(0x68, bytes(v.uuid()));
    byte[] label = v.label().getBytes(StandardCharsets.UTF_8);
    b.put(0x78, label, 0, Math.min(16, label.length));
    b.putInt(0xE0, Inodes.JOURNAL);
    b.put(0xEC, bytes(v.hashSeed()));
    b.put(0xFC, (byte) 1); // default directory hash: half_md4
    b.put(0xFD, (byte) 1); // s_jnl_blocks holds a copy of the journal inode's blocks
    b.putInt(0x100, 0x0004 | 0x0008); // default mount options: user_xattr, acl
    b.putInt(0x108, (int) v.time()); // mkfs time
    b.put(0x10C, v.journalBlocks());
    b.putInt(0x10C + 15 * 4, (int) (v.journalBytes() >>> 32));
    b.putInt(0x10C + 16 * 4, (int) v.journalBytes());
    b.putShort(0x15C, (short) Inodes.EXTRA_ISIZE); // min extra isize
    b.putShort(0x15E, (short) Inodes.EXTRA_ISIZE); // wanted extra isize
    b.putInt(0x160, 0x0001); // signed directory hash, as mke2fs on x86
    b.put(0x174, (byte) Geometry.FLEX_GROUPS_LOG);
    return b.array();
  }

  private static byte[] bytes(UUID uuid) {
    return ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits())
        .array();
  }

  /**
   * The jbd2 superblock (version 2, big-endian) of an empty, clean journal ({@code s_start} 0) of
   * {@code blocks} blocks, its first log block 1, one user (this filesystem).
   */
  static byte[] journal(int blocks, UUID uuid) {
    ByteBuffer b = ByteBuffer.allocate(Geometry.BLOCK).order(ByteOrder.BIG_ENDIAN);
    b.putInt(0x00, 0xC03B3998);
    b.putInt(0x04, 4); // superblock v2
    b.putInt(0x0C, Geometry.BLOCK);
    b.putInt(0x10, blocks);
    b.putInt(0x14, 1); // first log block
    b.putInt(0x18, 1); // first expected transaction
    b.putInt(0x1C, 0); // clean: nothing to replay
    b.put(0x30, bytes(uuid));
    b.putInt(0x40, 1); // users
    return b.array();
  }
}
