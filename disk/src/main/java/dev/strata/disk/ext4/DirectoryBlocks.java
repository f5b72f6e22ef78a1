package dev.strata.disk.ext4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A linear ext4 directory: {@code .} and {@code ..} first, then one entry per name (inode, record
 * length, name length, file type, name padded to 4 bytes), never across a block; the last entry of
 * each block stretches to its end. No hash tree: the kernel indexes a directory when it grows.
 */
final class DirectoryBlocks {
  static final int MAX_NAME = 255;

  /** One name in a directory. */
  record Entry(byte[] name, int inode, int type) {}

  private DirectoryBlocks() {}

  /** The UTF-8 bytes of a name, checked for what ext4 can hold. */
  static byte[] name(String name, String path) throws Ext4Exception {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_NAME) {
      throw new Ext4Exception(
          path + ": the name is " + bytes.length + " bytes long; ext4 holds at most " + MAX_NAME);
    }
    if (bytes.length == 0 || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new Ext4Exception(path + ": not a valid file name");
    }
    return bytes;
  }

  private static int size(int nameLength) {
    return (8 + nameLength + 3) & ~3;
  }

  /** How many blocks the entries take ({@code entries} without {@code .} and {@code ..}). */
  static int blocks(List<Entry> entries) {
    int blocks = 1;
    int used = size(1) + size(2);
    for (Entry e : entries) {
      int s = size(e.name().length);
      if (used + s > Geometry.BLOCK) {
        blocks++;
        used = 0;
      }
      used += s;
    }
    return blocks;
  }

  /** The directory's blocks, {@link #blocks} of them, concatenated. */
  static byte[] encode(int self, int parent, List<Entry> entries, int blocks) {
    ByteBuffer b = ByteBuffer.allocate(blocks * Geometry.BLOCK).order(ByteOrder.LITTLE_ENDIAN);
    List<Entry> all = new ArrayList<>(entries.size() + 2);
    all.add(new Entry(new byte[] {'.'}, self, TreeNode.Kind.DIRECTORY.direntType));
    all.add(new Entry(new byte[] {'.', '.'}, parent, TreeNode.Kind.DIRECTORY.direntType));
    all.addAll(entries);
    int blockStart = 0;
    int last = -1;
    for (Entry e : all) {
      int s = size(e.name().length);
      if (b.position() + s > blockStart + Geometry.BLOCK) {
        b.putShort(last + 4, (short) (blockStart + Geometry.BLOCK - last));
        blockStart += Geometry.BLOCK;
        b.position(blockStart);
      }
      last = b.position();
      b.putInt(e.inode());
      b.putShort((short) s);
      b.put((byte) e.name().length);
      b.put((byte) e.type());
      b.put(e.name());
      b.position(last + s);
    }
    b.putShort(last + 4, (short) (blockStart + Geometry.BLOCK - last));
    // blocks left after the entries (lost+found's spare room) hold one empty entry each
    for (int block = blockStart + Geometry.BLOCK; block < b.capacity(); block += Geometry.BLOCK) {
      b.putInt(block, 0);
      b.putShort(block + 4, (short) Geometry.BLOCK);
    }
    return b.array();
  }
}
