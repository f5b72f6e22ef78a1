package dev.strata.disk.ext4;

/**
 * The shape of a filesystem: 4 KiB blocks in groups of 32768, 256-byte inodes, how many per group,
 * which groups keep a superblock backup ({@code sparse_super}: 0, 1 and powers of 3, 5 and 7) and
 * how many blocks the group descriptor table takes (no blocks reserved for resizing).
 */
record Geometry(long blocks, int groups, int inodesPerGroup) {
  static final int BLOCK = 4096;
  static final int BLOCKS_PER_GROUP = 32768;
  static final int INODE_SIZE = 256;
  static final int INODES_PER_BLOCK = BLOCK / INODE_SIZE;
  static final int DESCRIPTOR_SIZE = 32;
  static final int FLEX_GROUPS_LOG = 4;

  /** mke2fs's default for a plain ext4: one inode per 16 KiB. */
  private static final long BYTES_PER_INODE = 16384;

  /** A last group smaller than this is left out, as mke2fs does (too small to be useful). */
  private static final int LEAST_LAST_GROUP = 1024;

  /** The geometry of a filesystem of {@code bytes} holding at least {@code inodes} inodes. */
  static Geometry of(long bytes, long inodes) throws Ext4Exception {
    long blocks = bytes / BLOCK;
    if (blocks < 8192) {
      throw new Ext4Exception(
          "an ext4 filesystem of " + bytes + " bytes is too small: give it at least 32 MiB");
    }
    if (blocks > 0xFFFFFFFFL) {
      throw new Ext4Exception("an ext4 filesystem over 16 TiB needs the 64bit feature");
    }
    long groups = (blocks + BLOCKS_PER_GROUP - 1) / BLOCKS_PER_GROUP;
    long last = blocks - (groups - 1) * BLOCKS_PER_GROUP;
    if (groups > 1 && last < LEAST_LAST_GROUP) {
      blocks -= last;
      groups--;
    }
    long wanted = Math.max(blocks * BLOCK / BYTES_PER_INODE, inodes);
    long perGroup = (wanted + groups - 1) / groups;
    perGroup = (perGroup + INODES_PER_BLOCK - 1) / INODES_PER_BLOCK * INODES_PER_BLOCK;
    if (perGroup > BLOCK * 8L) {
      throw new Ext4Exception(
          inodes + " files do not fit an ext4 filesystem of " + bytes + " bytes: make it larger");
    }
    return new Geometry(blocks, (int) groups, (int) perGroup);
  }

  long inodes() {
    return (long) groups * inodesPerGroup;
  }

  int inodeTableBlocks() {
    return inodesPerGroup / INODES_PER_BLOCK;
  }

  int descriptorBlocks() {
    return (groups * DESCRIPTOR_SIZE + BLOCK - 1) / BLOCK;
  }

  long groupStart(int group) {
    return (long) group * BLOCKS_PER_GROUP;
  }

  int groupBlocks(int group) {
    return (int) Math.min(BLOCKS_PER_GROUP, blocks - groupStart(group));
  }

  boolean hasSuperblock(int group) {
    return group <= 1 || isPower(group, 3) || isPower(group, 5) || isPower(group, 7);
  }

  private static boolean isPower(int n, int base) {
    long p = base;
    while (p < n) {
      p *= base;
    }
    return p == n;
  }

  /** mke2fs's default journal size for this many blocks. */
  int journalBlocks() {
    if (blocks < 32768) {
      return 1024;
    } else if (blocks < 256 * 1024) {
      return 4096;
    } else if (blocks < 512 * 1024) {
      return 8192;
    } else if (blocks < 4096 * 1024) {
      return 16384;
    } else if (blocks < 8192 * 1024) {
      return 32768;
    } else if (blocks < 16384 * 1024) {
      return 65536;
    } else if (blocks < 32768 * 1024) {
      return 131072;
    }
    return 262144;
  }
}
