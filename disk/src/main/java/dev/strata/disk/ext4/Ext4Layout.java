package dev.strata.disk.ext4;

import dev.strata.disk.partition.Chunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a whole filesystem before a byte is written: numbers the inodes (root 2, journal 8,
 * lost+found 11, then the tree depth first in name order, a hardlinked file once), sizes every
 * directory, places the metadata of each flex group (16 groups' bitmaps and inode tables at the
 * start of its first group, after any superblock backup), the journal after group 0's metadata,
 * then each inode's blocks in inode order from one cursor, so every file is contiguous. The result
 * is the list of {@link Chunk}s to write; everything not in it stays zero.
 */
final class Ext4Layout {
  private static final int MAX_LINKS = 65000;
  private static final int LOST_AND_FOUND_BLOCKS = 4;
  private static final int MAX_SYMLINK = Geometry.BLOCK - 1;

  /** One inode's plan. */
  private static final class Planned {
    final TreeNode node;
    final String path;
    final int ino;
    int links;
    int parent;
    int subdirs;
    List<DirectoryBlocks.Entry> entries;
    int dirBlocks;
    long dataBlocks;

    Planned(TreeNode node, String path, int ino) {
      this.node = node;
      this.path = path;
      this.ino = ino;
    }
  }

  private final FileTree tree;
  private final Ext4Options options;
  private final List<Planned> order = new ArrayList<>();
  private final Map<TreeNode, Planned> byNode = new IdentityHashMap<>();
  private final List<Chunk> chunks = new ArrayList<>();
  private Geometry geometry;
  private BlockAllocator blocks;
  private ByteBuffer[] inodeTables;
  private int[] usedDirs;
  private long dataBytes;
  private long freeBlocks;

  private Ext4Layout(FileTree tree, Ext4Options options) {
    this.tree = tree;
    this.options = options;
  }

  /** The chunks of a filesystem of {@code bytes} holding {@code tree}. */
  static Ext4Layout plan(FileTree tree, long bytes, Ext4Options options) throws Ext4Exception {
    Ext4Layout layout = new Ext4Layout(tree, options);
    layout.number();
    layout.geometry = Geometry.of(bytes, Inodes.FIRST_FREE - 1 + layout.order.size());
    layout.allocate();
    return layout;
  }

  List<Chunk> chunks() {
    return chunks;
  }

  Geometry geometry() {
    return geometry;
  }

  long inodesUsed() {
    return Inodes.LOST_AND_FOUND + order.size();
  }

  long dataBytes() {
    return dataBytes;
  }

  long freeBlocks() {
    return freeBlocks;
  }

  /** Numbers the inodes and counts links, depth first, children in name order. */
  private void number() throws Ext4Exception {
    Planned root = new Planned(tree.root(), "/", Inodes.ROOT);
    root.parent = Inodes.ROOT;
    root.links = 1;
    byNode.put(tree.root(), root);
    Deque<Planned> stack = new ArrayDeque<>();
    stack.push(root);
    int next = Inodes.FIRST_FREE;
    while (!stack.isEmpty()) {
      Planned dir = stack.pop();
      List<DirectoryBlocks.Entry> entries = new ArrayList<>();
      List<Planned> subdirs = new ArrayList<>();
      for (Map.Entry<String, TreeNode> e : dir.node.children().entrySet()) {
        String path = (dir.ino == Inodes.ROOT ? "/" : dir.path + "/") + e.getKey();
        if (dir.ino == Inodes.ROOT && e.getKey().equals("lost+found")) {
          continue; // the filesystem's own lost+found takes its place
        }
        byte[] name = DirectoryBlocks.name(e.getKey(), path);
        TreeNode child = e.getValue();
        Planned p = byNode.get(child);
        if (p == null) {
          p = new Planned(child, path, next++);
          byNode.put(child, p);
          order.add(p);
          if (child.kind() == TreeNode.Kind.DIRECTORY) {
            p.parent = dir.ino;
            subdirs.add(p);
          }
        } else if (child.kind() == TreeNode.Kind.DIRECTORY) {
          throw new Ext4Exception(path + ": a folder cannot be linked twice in the tree");
        }
        if (++p.links > MAX_LINKS) {
          throw new Ext4Exception(p.path + " has more than " + MAX_LINKS + " hard links");
        }
        entries.add(new DirectoryBlocks.Entry(name, p.ino, child.kind().direntType));
      }
      if (dir.ino == Inodes.ROOT) {
        entries.add(
            new DirectoryBlocks.Entry(
                "lost+found".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                Inodes.LOST_AND_FOUND,
                TreeNode.Kind.DIRECTORY.direntType));
        dir.subdirs++;
      }
      dir.entries = entries;
      dir.dirBlocks = DirectoryBlocks.blocks(entries);
      dir.subdirs += subdirs.size();
      for (int i = subdirs.size() - 1; i >= 0; i--) {
        stack.push(subdirs.get(i));
      }
    }
    // depth-first by the stack visits folders in a different order than inode numbers: sort
    order.sort(Comparator.comparingInt(p -> p.ino));
  }

  private void allocate() throws Ext4Exception {
    Geometry g = geometry;
    blocks = new BlockAllocator(g.blocks());
    for (int group = 0; group < g.groups(); group++) {
      if (g.hasSuperblock(group)) {
        blocks.mark(g.groupStart(group), 1 + g.descriptorBlocks());
      }
    }
    long[] blockBitmap = new long[g.groups()];
    long[] inodeBitmap = new long[g.groups()];
    long[] inodeTable = new long[g.groups()];
    int flex = 1 << Geometry.FLEX_GROUPS_LOG;
    for (int first = 0; first < g.groups(); first += flex) {
      int last = Math.min(g.groups(), first + flex);
      long from = g.groupStart(first);
      for (int group = first; group < last; group++) {
        blockBitmap[group] = blocks.contiguous(1, from);
      }
      for (int group = first; group < last; group++) {
        inodeBitmap[group] = blocks.contiguous(1, from);
      }
      for (int group = first; group < last; group++) {
        inodeTable[group] = blocks.contiguous(g.inodeTableBlocks(), from);
      }
    }
    inodeTables = new ByteBuffer[g.groups()];
    usedDirs = new int[g.groups()];

    // the journal, right after group 0's metadata
    blocks.startAt(0);
    int journalBlocks = g.journalBlocks();
    List<BlockAllocator.Run> journal = blocks.next(journalBlocks);
    List<ExtentTree.Extent> journalExtents = ExtentTree.of(journal);
    byte[] journalIblock = extents(journalExtents, "the journal");
    bytes(journal.get(0).start(), Superblock.journal(journalBlocks, options.uuid()));
    TreeNode.Time now = new TreeNode.Time(options.timeSeconds(), 0);
    inode(
        Inodes.JOURNAL,
        new Inodes.Fields(
            0100600,
            0,
            0,
            (long) journalBlocks * Geometry.BLOCK,
            now,
            now,
            now,
            now,
            1,
            sectors(journalBlocks + leafCount(journalExtents)),
            Inodes.EXTENTS_FLAG,
            journalIblock,
            0,
            null));

    // root, lost+found, then every inode in number order
    Planned root = byNode.get(tree.root());
    place(root);
    List<BlockAllocator.Run> lpf = blocks.next(LOST_AND_FOUND_BLOCKS);
    List<ExtentTree.Extent> lpfExtents = ExtentTree.of(lpf);
    byte[] lpfData =
        DirectoryBlocks.encode(
            Inodes.LOST_AND_FOUND, Inodes.ROOT, List.of(), LOST_AND_FOUND_BLOCKS);
    data(lpf, lpfData);
    inode(
        Inodes.LOST_AND_FOUND,
        new Inodes.Fields(
            0040700,
            0,
            0,
            lpfData.length,
            now,
            now,
            now,
            now,
            2,
            sectors(LOST_AND_FOUND_BLOCKS),
            Inodes.EXTENTS_FLAG,
            extents(lpfExtents, "/lost+found"),
            0,
            null));
    usedDirs[0]++;
    for (Planned p : order) {
      place(p);
    }

    // bitmaps, descriptors and superblocks from what was taken
    long freeInodes = 0;
    ByteBuffer descriptors =
        ByteBuffer.allocate(g.descriptorBlocks() * Geometry.BLOCK).order(ByteOrder.LITTLE_ENDIAN);
    long usedInodes = inodesUsed();
    for (int group = 0; group < g.groups(); group++) {
      int groupBlocks = g.groupBlocks(group);
      byte[] bitmap = new byte[Geometry.BLOCK];
      for (int i = 0; i < Geometry.BLOCKS_PER_GROUP; i++) {
        if (i >= groupBlocks || blocks.isUsed(g.groupStart(group) + i)) {
          bitmap[i >> 3] |= (byte) (1 << (i & 7));
        }
      }
      bytes(blockBitmap[group], bitmap);
      int free = blocks.freeIn(g.groupStart(group), groupBlocks);
      byte[] ibitmap = new byte[Geometry.BLOCK];
      long firstIno = (long) group * g.inodesPerGroup() + 1;
      int used = (int) Math.max(0, Math.min(g.inodesPerGroup(), usedInodes - firstIno + 1));
      for (int i = 0; i < Geometry.BLOCK * 8; i++) {
        if (i < used || i >= g.inodesPerGroup()) {
          ibitmap[i >> 3] |= (byte) (1 << (i & 7));
        }
      }
      bytes(inodeBitmap[group], ibitmap);
      if (inodeTables[group] != null) {
        bytes(inodeTable[group], inodeTables[group].array());
      }
      int at = group * Geometry.DESCRIPTOR_SIZE;
      descriptors.putInt(at, (int) blockBitmap[group]);
      descriptors.putInt(at + 4, (int) inodeBitmap[group]);
      descriptors.putInt(at + 8, (int) inodeTable[group]);
      descriptors.putShort(at + 12, (short) free);
      descriptors.putShort(at + 14, (short) (g.inodesPerGroup() - used));
      descriptors.putShort(at + 16, (short) usedDirs[group]);
      freeBlocks += free;
      freeInodes += g.inodesPerGroup() - used;
    }
    byte[] journalCopy = Arrays.copyOf(journalIblock, 60);
    Superblock.Values values =
        new Superblock.Values(
            g,
            freeBlocks,
            freeInodes,
            g.blocks() / 20,
            options.uuid(),
            options.label(),
            options.hashSeed(),
            options.timeSeconds(),
            journalCopy,
            (long) journalBlocks * Geometry.BLOCK);
    for (int group = 0; group < g.groups(); group++) {
      if (!g.hasSuperblock(group)) {
        continue;
      }
      long start = g.groupStart(group) * Geometry.BLOCK;
      byte[] sb = Superblock.encode(values, group);
      if (group == 0) {
        chunks.add(new Chunk.Bytes(Superblock.SIZE, sb));
      } else {
        chunks.add(new Chunk.Bytes(start, sb));
      }
      chunks.add(new Chunk.Bytes(start + Geometry.BLOCK, descriptors.array()));
    }
    chunks.sort(Comparator.comparingLong(Chunk::offset));
  }

  /** Places one inode's blocks and encodes it. */
  private void place(Planned p) throws Ext4Exception {
    TreeNode n = p.node;
    int mode = n.kind().typeBits | n.permissions();
    byte[] iblock = new byte[60];
    int flags = 0;
    long size = 0;
    long blockCount = 0;
    switch (n.kind()) {
      case DIRECTORY -> {
        List<BlockAllocator.Run> runs = blocks.next(p.dirBlocks);
        List<ExtentTree.Extent> ext = ExtentTree.of(runs);
        iblock = extents(ext, p.path);
        data(runs, DirectoryBlocks.encode(p.ino, p.parent, p.entries, p.dirBlocks));
        flags = Inodes.EXTENTS_FLAG;
        size = (long) p.dirBlocks * Geometry.BLOCK;
        blockCount = p.dirBlocks + leafCount(ext);
        usedDirs[group(p.ino)]++;
      }
      case FILE -> {
        FileContent content = n.content();
        size = content.size();
        long count = (size + Geometry.BLOCK - 1) / Geometry.BLOCK;
        List<BlockAllocator.Run> runs = count == 0 ? List.of() : blocks.next(count);
        List<ExtentTree.Extent> ext = ExtentTree.of(runs);
        iblock = extents(ext, p.path);
        flags = Inodes.EXTENTS_FLAG;
        blockCount = count + leafCount(ext);
        dataBytes += size;
        if (content instanceof FileContent.HostFile h) {
          long done = 0;
          for (BlockAllocator.Run r : runs) {
            long len = Math.min(size - done, r.length() * Geometry.BLOCK);
            chunks.add(new Chunk.HostData(r.start() * Geometry.BLOCK, h.path(), done, len));
            done += len;
          }
        } else {
          data(runs, ((FileContent.InMemory) content).bytes());
        }
      }
      case SYMLINK -> {
        byte[] target = n.linkTargetBytes();
        size = target.length;
        if (target.length == 0 || target.length > MAX_SYMLINK) {
          throw new Ext4Exception(
              p.path + ": a symlink target must be 1 to " + MAX_SYMLINK + " bytes long");
        }
        if (target.length < 60) {
          System.arraycopy(target, 0, iblock, 0, target.length);
        } else {
          List<BlockAllocator.Run> runs = blocks.next(1);
          iblock = extents(ExtentTree.of(runs), p.path);
          data(runs, target);
          flags = Inodes.EXTENTS_FLAG;
          blockCount = 1;
        }
      }
      case CHAR_DEVICE, BLOCK_DEVICE -> {
        ByteBuffer b = ByteBuffer.wrap(iblock).order(ByteOrder.LITTLE_ENDIAN);
        int major = n.major();
        int minor = n.minor();
        if (major < 256 && minor < 256) {
          b.putInt(0, (major << 8) | minor);
        } else {
          b.putInt(4, (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12));
        }
      }
      case FIFO, SOCKET -> {}
    }
    ExtendedAttributes.Placement xattrs = ExtendedAttributes.encode(n.xattrs(), p.path);
    long xattrBlock = 0;
    if (xattrs != null && xattrs.block() != null) {
      xattrBlock = blocks.nextBlock();
      bytes(xattrBlock, xattrs.block());
      blockCount++;
    }
    int links = n.kind() == TreeNode.Kind.DIRECTORY ? 2 + p.subdirs : p.links;
    if (n.kind() == TreeNode.Kind.DIRECTORY && links > MAX_LINKS) {
      links = 1; // dir_nlink: too many subfolders to count
    }
    TreeNode.Time crtime = n.mtime();
    inode(
        p.ino,
        new Inodes.Fields(
            mode,
            n.uid(),
            n.gid(),
            size,
            n.atime(),
            n.ctime(),
            n.mtime(),
            crtime,
            links,
            sectors(blockCount),
            flags,
            iblock,
            xattrBlock,
            xattrs == null ? null : xattrs.inInode()));
  }

  /** {@code i_block} for {@code ext}, allocating and writing leaf blocks when needed. */
  private byte[] extents(List<ExtentTree.Extent> ext, String path) throws Ext4Exception {
    int leaves = ExtentTree.leafBlocks(ext.size(), path);
    List<Long> leafBlocks = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      long block = blocks.nextBlock();
      leafBlocks.add(block);
      bytes(block, ExtentTree.leaf(ext, i));
    }
    return ExtentTree.inodeBlock(ext, leafBlocks);
  }

  private static int leafCount(List<ExtentTree.Extent> ext) {
    return ext.size() <= ExtentTree.IN_INODE
        ? 0
        : (ext.size() + ExtentTree.PER_LEAF - 1) / ExtentTree.PER_LEAF;
  }

  private static long sectors(long blockCount) {
    return blockCount * (Geometry.BLOCK / 512);
  }

  private int group(int ino) {
    return (ino - 1) / geometry.inodesPerGroup();
  }

  /** Encodes inode {@code ino} into its group's table, which grows to the last inode used. */
  private void inode(int ino, Inodes.Fields fields) {
    int group = group(ino);
    int index = (ino - 1) % geometry.inodesPerGroup();
    int needed = (index / Geometry.INODES_PER_BLOCK + 1) * Geometry.BLOCK;
    ByteBuffer table = inodeTables[group];
    if (table == null || table.capacity() < needed) {
      int capacity = Math.max(needed, table == null ? 0 : table.capacity() * 2);
      capacity = Math.min(capacity, geometry.inodeTableBlocks() * Geometry.BLOCK);
      ByteBuffer grown = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
      if (table != null) {
        grown.put(0, table.array(), 0, table.capacity());
      }
      inodeTables[group] = table = grown;
    }
    Inodes.encode(table, index * Geometry.INODE_SIZE, fields);
  }

  private void bytes(long block, byte[] data) {
    chunks.add(new Chunk.Bytes(block * Geometry.BLOCK, data));
  }

  /** Writes {@code data} over {@code runs} (which together hold at least its length). */
  private void data(List<BlockAllocator.Run> runs, byte[] data) {
    int done = 0;
    for (BlockAllocator.Run r : runs) {
      int len = (int) Math.min(data.length - done, r.length() * Geometry.BLOCK);
      if (len <= 0) {
        break;
      }
      chunks.add(
          new Chunk.Bytes(r.start() * Geometry.BLOCK, Arrays.copyOfRange(data, done, done + len)));
      done += len;
    }
  }
}
