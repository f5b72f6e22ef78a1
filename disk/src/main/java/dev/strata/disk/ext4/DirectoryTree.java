package dev.strata.disk.ext4;

import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Reads a host directory (a flattened rootfs), or a stack of overlay-form layer directories merged
 * as overlayfs shows them, into a {@link FileTree}: every entry's type, owner, mode, times with
 * nanoseconds, extended attributes of every namespace and device numbers, and hardlinks as one node
 * by {@code (st_dev, st_ino)}. File contents are not read, only located. In a layer stack a
 * whiteout (character device 0/0) removes the name below, an opaque directory ({@code
 * trusted.overlay.opaque=y}) hides everything below it, and overlay's own {@code trusted.overlay.*}
 * attributes are dropped; a flattened directory is the stack of one layer.
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
    // read on every core (each folder's entries by one task, which alone changes that node).
    ForkJoinPool pool = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    try {
      for (Path layer : layersBottomFirst) {
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
        TreeNode below = node.child(name);
        if (child.kind() == TreeNode.Kind.DIRECTORY) {
          if (below != null
              && below.kind() == TreeNode.Kind.DIRECTORY
              && !Arrays.equals(child.xattrs().get(OPAQUE), OPAQUE_YES)) {
            below.children().forEach(child::put);
          }
          subdirs.add(name);
        }
        child.xattrs().keySet().removeIf(k -> k.startsWith(OVERLAY_XATTRS));
        node.put(name, child);
      }
    }
    return subdirs;
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
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    TreeNode.Time mtime = time(a, "lastModifiedTime");
    TreeNode node =
        switch (type) {
          case 0040000 -> TreeNode.directory(mode, uid, gid, mtime);
          case 0100000 ->
              TreeNode.file(
                  mode, uid, gid, mtime, new FileContent.HostFile(path, (Long) a.get("size")));
          case 0120000 ->
              TreeNode.symlink(uid, gid, mtime, Files.readSymbolicLink(path).toString());
          case 0020000, 0060000, 0010000, 0140000 -> {
            long rdev = (Long) a.get("rdev");
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
    node = node.withTimes(time(a, "lastAccessTime"), time(a, "ctime"));
    readXattrs(path, node);
    if (key != null) {
      TreeNode first = hardlinks.putIfAbsent(key, node);
      if (first != null) {
        return first; // another name of the same file, read at the same time by another walker
      }
    }
    return node;
  }

  private static void readXattrs(Path path, TreeNode node) throws IOException {
    List<String> names = Posix.llistxattr(path);
    for (String name : names) {
      byte[] value = Posix.lgetxattr(path, name);
      if (value != null) {
        node.xattrs().put(name, value);
      }
    }
  }

  private static TreeNode.Time time(Map<String, Object> attrs, String name) {
    FileTime t = (FileTime) attrs.get(name);
    java.time.Instant i = t.toInstant();
    return new TreeNode.Time(i.getEpochSecond(), i.getNano());
  }
}
