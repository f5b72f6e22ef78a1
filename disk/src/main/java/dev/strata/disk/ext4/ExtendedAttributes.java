package dev.strata.disk.ext4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A node's extended attributes in ext4's layout: in the inode after {@code i_extra_isize} when they
 * fit (92 bytes: a {@code security.capability} does), otherwise all in one attribute block. Names
 * are stored as a namespace index and a suffix; POSIX ACLs are converted to ext4's own format.
 */
final class ExtendedAttributes {
  static final int MAGIC = 0xEA020000;

  /** Where attributes start in an inode: 128 bytes, {@code i_extra_isize}, then the magic. */
  static final int IN_INODE_START = 128 + Inodes.EXTRA_ISIZE;

  private static final int IN_INODE_SPACE = Geometry.INODE_SIZE - IN_INODE_START;
  private static final int BLOCK_HEADER = 32;

  // longest prefixes first: system.posix_acl_access is not a plain system.* attribute
  private static final List<Map.Entry<String, Integer>> PREFIXES =
      List.of(
          Map.entry("system.posix_acl_access", 2),
          Map.entry("system.posix_acl_default", 3),
          Map.entry("system.richacl", 8),
          Map.entry("user.", 1),
          Map.entry("trusted.", 4),
          Map.entry("security.", 6),
          Map.entry("system.", 7));

  /** One attribute as stored. */
  record Attribute(int index, byte[] name, byte[] value) {}

  /** Where a node's attributes go: into the inode, or a block (one of them may be null). */
  record Placement(byte[] inInode, byte[] block) {}

  private ExtendedAttributes() {}

  /** Encodes {@code xattrs}, sorted as the kernel expects; null when there are none. */
  static Placement encode(Map<String, byte[]> xattrs, String path) throws Ext4Exception {
    if (xattrs.isEmpty()) {
      return null;
    }
    List<Attribute> attrs = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
      attrs.add(attribute(e.getKey(), e.getValue(), path));
    }
    attrs.sort(
        Comparator.comparingInt(Attribute::index)
            .thenComparingInt(a -> a.name().length)
            .thenComparing(Attribute::name, Arrays::compareUnsigned));
    int entries = 0;
    int values = 0;
    for (Attribute a : attrs) {
      entries += entrySize(a);
      values += pad(a.value().length);
    }
    if (4 + entries + 4 + values <= IN_INODE_SPACE) {
      byte[] ibody = new byte[IN_INODE_SPACE];
      ByteBuffer b = ByteBuffer.wrap(ibody).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(MAGIC);
      // value offsets count from the first entry, just after the magic
      layout(b, 4, attrs, IN_INODE_SPACE, 4);
      return new Placement(ibody, null);
    }
    if (BLOCK_HEADER + entries + 4 + values > Geometry.BLOCK) {
      throw new Ext4Exception(
          path
              + ": its extended attributes take more than one 4 KiB block, which ext4 cannot hold"
              + " without the ea_inode feature");
    }
    byte[] block = new byte[Geometry.BLOCK];
    ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC);
    b.putInt(1); // h_refcount
    b.putInt(1); // h_blocks
    int[] hashes = layout(b, BLOCK_HEADER, attrs, Geometry.BLOCK, 0);
    int hash = 0;
    for (int h : hashes) {
      hash = (hash << 16) ^ (hash >>> 16) ^ h;
    }
    b.putInt(12, hash);
    return new Placement(null, block);
  }

  /**
   * Writes entries from {@code entryStart} and values down from {@code end}; value offsets are
   * relative to {@code base}. Returns each entry's hash.
   */
  private static int[] layout(
      ByteBuffer b, int entryStart, List<Attribute> attrs, int end, int base) {
    int[] hashes = new int[attrs.size()];
    int pos = entryStart;
    int valueEnd = end;
    for (int i = 0; i < attrs.size(); i++) {
      Attribute a = attrs.get(i);
      int valueAt = valueEnd - pad(a.value().length);
      if (a.value().length == 0) {
        valueAt = 0;
      } else {
        valueEnd = valueAt;
        b.put(valueAt, a.value());
      }
      hashes[i] = hash(a);
      b.put(pos, (byte) a.name().length);
      b.put(pos + 1, (byte) a.index());
      b.putShort(pos + 2, (short) (a.value().length == 0 ? 0 : valueAt - base));
      b.putInt(pos + 4, 0); // e_value_inum
      b.putInt(pos + 8, a.value().length);
      b.putInt(pos + 12, hashes[i]);
      b.put(pos + 16, a.name());
      pos += entrySize(a);
    }
    return hashes;
  }

  /** ext4's entry hash (the name, then the value as little-endian words). */
  static int hash(Attribute a) {
    int hash = 0;
    for (byte c : a.name()) {
      hash = (hash << 5) ^ (hash >>> 27) ^ c;
    }
    byte[] v = Arrays.copyOf(a.value(), pad(a.value().length));
    ByteBuffer words = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
    while (words.hasRemaining()) {
      hash = (hash << 16) ^ (hash >>> 16) ^ words.getInt();
    }
    return hash;
  }

  private static int entrySize(Attribute a) {
    return pad(16 + a.name().length);
  }

  private static int pad(int n) {
    return (n + 3) & ~3;
  }

  static Attribute attribute(String name, byte[] value, String path) throws Ext4Exception {
    for (Map.Entry<String, Integer> p : PREFIXES) {
      if (name.startsWith(p.getKey())) {
        byte[] suffix = name.substring(p.getKey().length()).getBytes(StandardCharsets.UTF_8);
        if (suffix.length > 255) {
          throw new Ext4Exception(path + ": extended attribute name too long: " + name);
        }
        int index = p.getValue();
        if (index == 2 || index == 3) {
          if (suffix.length != 0) {
            continue;
          }
          return new Attribute(index, suffix, PosixAcl.toDisk(value, path));
        }
        return new Attribute(index, suffix, value);
      }
    }
    throw new Ext4Exception(
        path + ": extended attribute " + name + " has a namespace ext4 does not store");
  }
}
