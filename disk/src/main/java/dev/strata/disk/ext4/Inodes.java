package dev.strata.disk.ext4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 256-byte ext4 inode: the 128-byte base, then {@code i_extra_isize} (32) bytes holding the
 * nanoseconds and epoch bits of each time and the creation time, then in-inode attributes.
 */
final class Inodes {
  static final int EXTRA_ISIZE = 32;
  static final int EXTENTS_FLAG = 0x80000;
  static final int ROOT = 2;
  static final int JOURNAL = 8;
  static final int LOST_AND_FOUND = 11;
  static final int FIRST_FREE = 12;

  private Inodes() {}

  /** What one inode holds, already encoded where the layout decides it. */
  record Fields(
      int mode,
      int uid,
      int gid,
      long size,
      TreeNode.Time atime,
      TreeNode.Time ctime,
      TreeNode.Time mtime,
      TreeNode.Time crtime,
      int links,
      long sectors,
      int flags,
      byte[] iblock,
      long xattrBlock,
      byte[] inInodeXattrs) {}

  /** Writes {@code f} at the buffer's position (256 bytes). */
  static void encode(ByteBuffer out, int at, Fields f) {
    ByteBuffer b = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    b.position(at);
    b.putShort((short) f.mode());
    b.putShort((short) f.uid());
    b.putInt((int) f.size());
    b.putInt((int) f.atime().seconds());
    b.putInt((int) f.ctime().seconds());
    b.putInt((int) f.mtime().seconds());
    b.putInt(0); // dtime
    b.putShort((short) f.gid());
    b.putShort((short) f.links());
    b.putInt((int) f.sectors());
    b.putInt(f.flags());
    b.putInt(0); // l_i_version
    b.put(f.iblock());
    b.position(at + 0x64);
    b.putInt(0); // generation
    b.putInt((int) f.xattrBlock());
    b.putInt((int) (f.size() >>> 32));
    b.putInt(0); // obsolete fragment address
    b.putShort((short) (f.sectors() >>> 32));
    b.putShort((short) (f.xattrBlock() >>> 32));
    b.putShort((short) (f.uid() >>> 16));
    b.putShort((short) (f.gid() >>> 16));
    b.putInt(0); // checksum_lo, reserved
    b.putShort((short) EXTRA_ISIZE);
    b.putShort((short) 0); // checksum_hi
    b.putInt(extra(f.ctime()));
    b.putInt(extra(f.mtime()));
    b.putInt(extra(f.atime()));
    b.putInt((int) f.crtime().seconds());
    b.putInt(extra(f.crtime()));
    if (f.inInodeXattrs() != null) {
      b.position(at + ExtendedAttributes.IN_INODE_START);
      b.put(f.inInodeXattrs());
    }
  }

  /** The nanoseconds and the two epoch bits that extend a 32-bit seconds field past 2038. */
  static int extra(TreeNode.Time t) {
    long epoch = (t.seconds() - (int) t.seconds()) >> 32;
    return (t.nanos() << 2) | (int) (epoch & 3);
  }
}
