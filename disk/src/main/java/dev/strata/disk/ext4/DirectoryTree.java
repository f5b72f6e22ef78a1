package dev.strata.disk.ext4;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.rootfs.LayerIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Reads a host directory (a flattened rootfs), or a stack of overlay-form layer directories merged
 * as overlayfs shows them, into a {@link FileTree}: every entry's type, owner, mode, times with
 * nanoseconds, extended attributes of every namespace and device numbers, and hardlinks as one node
 * by {@code (st_dev, st_ino)}. File contents are not read, only located. In a layer stack a
 * whiteout (character device 0/0) removes the name below, an opaque directory ({@code
 * trusted.overlay.opaque=y}) hides everything below it, and overlay's own {@code trusted.overlay.*}
 * attributes are dropped; a flattened directory is the stack of one layer. A layer folder with a
 * {@link LayerIndex} beside it is read from the index, which holds what the walk would read.
 */
public final class DirectoryTree {
  private static final String ATTRS =
      "unix:mode,ino,dev,nlink,uid,gid,size,rdev,lastModifiedTime," + "lastAccessTime,ctime";

  private record InodeKey(long dev, long ino) {}

  private static final String OPAQUE = "trusted.overlay.opaque";
  private static final byte[] OPAQUE_YES = {'y'};
  private static final String OVERLAY_XATTRS = "trusted.overlay.";

  // filled by the walkers of one layer at once: a name seen twice must map to one node
  private final Map<InodeKey, TreeNode> hardlinks = new ConcurrentHashMap<>();

  private DirectoryTree() {}

  /** The tree under {@code root}; the root directory itself is owned 0:0 whatever its owner. */
  public static FileTree read(Path root) throws IOException {
    return read(List.of(root));
  }

  /**
   * The merged tree of overlay-form layer directories given bottom first; the root directory is the
   * top layer's, owned 0:0.
   */
  public static FileTree read(List<Path> layersBottomFirst) throws IOException {
    if (layersBottomFirst.isEmpty()) {
      throw new Ext4Exception("an image without layers has no root filesystem");
    }
    DirectoryTree reader = new DirectoryTree();
    TreeNode top = null;
    // A stat and an llistxattr per entry, tens of thousands of them: the folders of a layer are
    // read on every core (each folder's entries by one task, which alone changes that node). A
    // layer with a LayerIndex is read from it instead, every index at once while walking.
    ForkJoinPool pool = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    try {
      List<ForkJoinTask<Optional<List<LayerIndex.Entry>>>> indexes = new ArrayList<>();
      for (Path layer : layersBottomFirst) {
        indexes.add(pool.submit(() -> LayerIndex.read(layer)));
      }
      for (int i = 0; i < layersBottomFirst.size(); i++) {
        Path layer = layersBottomFirst.get(i);
        Optional<List<LayerIndex.Entry>> index = joinIndex(indexes.get(i));
        if (index.isPresent()) {
          top = mergeIndexed(layer, index.get(), top);
          continue;
        }
        Map<String, Object> attrs = Files.readAttributes(layer, ATTRS, LinkOption.NOFOLLOW_LINKS);
        if (((Integer) attrs.get("mode") & 0170000) != 0040000) {
          throw new Ext4Exception(layer + " is not a folder");
        }
        TreeNode root =
            TreeNode.directory((Integer) attrs.get("mode"), 0, 0, time(attrs, "lastModifiedTime"))
                .withTimes(time(attrs, "lastAccessTime"), time(attrs, "ctime"));
        readXattrs(layer, root);
        if (top != null) {
          top.children().forEach(root::put);
        }
        top = root;
        reader.mergeAll(pool, layer, top);
        reader.hardlinks.clear(); // (st_dev, st_ino) pairs name one file within a layer only
      }
    } finally {
      pool.shutdownNow();
    }
    return new FileTree(top);
  }

  private void mergeAll(ForkJoinPool pool, Path layer, TreeNode top) throws IOException {
    try {
      pool.invoke(new Merge(layer, top));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** One folder of a layer laid over its merged node, then its subfolders in parallel. */
  private final class Merge extends RecursiveAction {
    private final Path dir;
    private final TreeNode node;

    Merge(Path dir, TreeNode node) {
      this.dir = dir;
      this.node = node;
    }

    @Override
    protected void compute() {
      List<String> subdirs;
      try {
        subdirs = merge(dir, node);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      invokeAll(
          subdirs.stream().map(name -> new Merge(dir.resolve(name), node.child(name))).toList());
    }
  }

  /**
   * Lays the entries of the layer directory {@code dir} over the merged directory {@code node};
   * returns the names of the subfolders to merge next.
   */
  private List<String> merge(Path dir, TreeNode node) throws IOException {
    List<String> subdirs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        TreeNode child = node(entry);
        if (child == null) { // a whiteout
          node.remove(name);
          continue;
        }
        if (child.kind() == TreeNode.Kind.DIRECTORY) {
          subdirs.add(name);
        }
        lay(node, name, child);
      }
    }
    return subdirs;
  }

  /**
   * Lays {@code child} over the name {@code name} of the merged directory {@code node}: a directory
   * not opaque takes the entries of the directory below; overlay's own attributes are dropped.
   */
  private static void lay(TreeNode node, String name, TreeNode child) {
    TreeNode below = node.child(name);
    if (child.kind() == TreeNode.Kind.DIRECTORY
        && below != null
        && below.kind() == TreeNode.Kind.DIRECTORY
        && !Arrays.equals(child.xattrs().get(OPAQUE), OPAQUE_YES)) {
      below.children().forEach(child::put);
    }
    child.xattrs().keySet().removeIf(k -> k.startsWith(OVERLAY_XATTRS));
    node.put(name, child);
  }

  /**
   * The merged tree after laying the layer {@code layer}, read from its index, over {@code below}
   * (null for the bottom layer): the same nodes {@link #merge} makes from a walk.
   */
  private static TreeNode mergeIndexed(Path layer, List<LayerIndex.Entry> entries, TreeNode below)
      throws IOException {
    LayerIndex.Entry rootEntry = entries.get(0);
    if (rootEntry.type() != 0040000) {
      throw new Ext4Exception(layer + " is not a folder");
    }
    TreeNode root =
        TreeNode.directory(rootEntry.mode(), 0, 0, time(rootEntry.mtime()))
            .withTimes(time(rootEntry.atime()), time(rootEntry.ctime()));
    root.xattrs().putAll(rootEntry.xattrs());
    if (below != null) {
      below.children().forEach(root::put);
    }
    // the merged directory of each folder entry, and the relative path of each (for file paths)
    TreeNode[] merged = new TreeNode[entries.size()];
    String[] paths = new String[entries.size()];
    merged[0] = root;
    paths[0] = "";
    Map<Integer, TreeNode> hardlinks = new HashMap<>();
    for (int i = 1; i < entries.size(); i++) {
      LayerIndex.Entry e = entries.get(i);
      TreeNode node = merged[e.parent()];
      String parentPath = paths[e.parent()];
      String path = parentPath.isEmpty() ? e.name() : parentPath + "/" + e.name();
      if (node == null) {
        throw new Ext4Exception(layer + "'s index lists " + path + " under a non-folder");
      }
      TreeNode child = e.linkGroup() == 0 ? null : hardlinks.get(e.linkGroup());
      if (child == null) {
        child =
            node(
                layer.resolve(path),
                e.mode(),
                e.uid(),
                e.gid(),
                e.size(),
                e.rdev(),
                time(e.mtime()),
                time(e.atime()),
                time(e.ctime()),
                e.linkTarget());
        if (child == null) { // a whiteout
          node.remove(e.name());
          continue;
        }
        child.xattrs().putAll(e.xattrs());
        if (e.linkGroup() != 0) {
          hardlinks.put(e.linkGroup(), child);
        }
      }
      if (child.kind() == TreeNode.Kind.DIRECTORY) {
        merged[i] = child;
        paths[i] = path;
      }
      lay(node, e.name(), child);
    }
    return root;
  }

  /** The node of {@code path}, or null for an overlay whiteout. */
  private TreeNode node(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, ATTRS, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    int type = mode & 0170000;
    if (type == 0020000 && (Long) a.get("rdev") == 0) {
      return null;
    }
    InodeKey key = null;
    if (type != 0040000 && (Integer) a.get("nlink") > 1) {
      key = new InodeKey((Long) a.get("dev"), (Long) a.get("ino"));
      TreeNode seen = hardlinks.get(key);
      if (seen != null) {
        return seen;
      }
    }
    TreeNode node =
        node(
            path,
            mode,
            (Integer) a.get("uid"),
            (Integer) a.get("gid"),
            (Long) a.get("size"),
            (Long) a.get("rdev"),
            time(a, "lastModifiedTime"),
            time(a, "lastAccessTime"),
            time(a, "ctime"),
            type == 0120000 ? Files.readSymbolicLink(path).toString() : null);
    readXattrs(path, node);
    if (key != null) {
      TreeNode first = hardlinks.putIfAbsent(key, node);
      if (first != null) {
        return first; // another name of the same file, read at the same time by another walker
      }
    }
    return node;
  }

  /** The node an entry's attributes describe (without its xattrs), or null for a whiteout. */
  private static TreeNode node(
      Path path,
      int mode,
      int uid,
      int gid,
      long size,
      long rdev,
      TreeNode.Time mtime,
      TreeNode.Time atime,
      TreeNode.Time ctime,
      String linkTarget)
      throws Ext4Exception {
    int type = mode & 0170000;
    if (type == 0020000 && rdev == 0) {
      return null;
    }
    TreeNode node =
        switch (type) {
          case 0040000 -> TreeNode.directory(mode, uid, gid, mtime);
          case 0100000 ->
              TreeNode.file(mode, uid, gid, mtime, new FileContent.HostFile(path, size));
          case 0120000 -> TreeNode.symlink(uid, gid, mtime, linkTarget);
          case 0020000, 0060000, 0010000, 0140000 -> {
            TreeNode.Kind kind =
                switch (type) {
                  case 0020000 -> TreeNode.Kind.CHAR_DEVICE;
                  case 0060000 -> TreeNode.Kind.BLOCK_DEVICE;
                  case 0010000 -> TreeNode.Kind.FIFO;
                  default -> TreeNode.Kind.SOCKET;
                };
            yield TreeNode.special(
                kind, mode, uid, gid, mtime, Posix.major(rdev), Posix.minor(rdev));
          }
          default ->
              throw new Ext4Exception(path + " has an unknown file type (mode " + mode + ")");
        };
    return node.withTimes(atime, ctime);
  }

  private static void readXattrs(Path path, TreeNode node) throws IOException {
    node.xattrs().putAll(Posix.lxattrs(path));
  }

  private static TreeNode.Time time(Map<String, Object> attrs, String name) {
    return time(((FileTime) attrs.get(name)).toInstant());
  }

  private static TreeNode.Time time(Instant i) {
    return new TreeNode.Time(i.getEpochSecond(), i.getNano());
  }

  private static <T> T joinIndex(ForkJoinTask<T> task) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading layer indexes", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("reading a layer index failed", e.getCause());
    }
  }
}
