package dev.strata.disk.ext4;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts a POSIX ACL from the form {@code getxattr} returns (version 2, every entry 8 bytes) to
 * ext4's on-disk form (version 1; entries without an id for the owner, group, mask and other).
 */
final class PosixAcl {
  private static final int XATTR_VERSION = 2;
  private static final int DISK_VERSION = 1;
  private static final int USER = 0x02;
  private static final int GROUP = 0x08;

  private PosixAcl() {}

  static byte[] toDisk(byte[] xattr, String path) throws Ext4Exception {
    ByteBuffer in = ByteBuffer.wrap(xattr).order(ByteOrder.LITTLE_ENDIAN);
    if (xattr.length < 4 || (xattr.length - 4) % 8 != 0 || in.getInt() != XATTR_VERSION) {
      throw new Ext4Exception(path + ": malformed POSIX ACL attribute");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer word = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    word.putInt(DISK_VERSION);
    out.write(word.array(), 0, 4);
    while (in.hasRemaining()) {
      short tag = in.getShort();
      short perm = in.getShort();
      int id = in.getInt();
      word.clear();
      word.putShort(tag).putShort(perm);
      if (tag == USER || tag == GROUP) {
        word.putInt(id);
        out.write(word.array(), 0, 8);
      } else {
        out.write(word.array(), 0, 4);
      }
    }
    return out.toByteArray();
  }
}
