package dev.strata.disk.ext4;

import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a host directory (a flattened rootfs) into a {@link FileTree}: every entry's type, owner,
 * mode, times with nanoseconds, extended attributes of every namespace and device numbers, and
 * hardlinks as one node by {@code (st_dev, st_ino)}. File contents are not read, only located.
 */
public final class DirectoryTree {
  private static final String ATTRS =
      "unix:mode,ino,dev,nlink,uid,gid,size,rdev,lastModifiedTime," + "lastAccessTime,ctime";

  private record InodeKey(long dev, long ino) {}

  private final Map<InodeKey, TreeNode> hardlinks = new HashMap<>();

  private DirectoryTree() {}

  /** The tree under {@code root}; the root directory itself is owned 0:0 whatever its owner. */
  public static FileTree read(Path root) throws IOException {
    DirectoryTree reader = new DirectoryTree();
    Map<String, Object> attrs = Files.readAttributes(root, ATTRS, LinkOption.NOFOLLOW_LINKS);
    if (((Integer) attrs.get("mode") & 0170000) != 0040000) {
      throw new Ext4Exception(root + " is not a folder");
    }
    TreeNode top =
        TreeNode.directory((Integer) attrs.get("mode"), 0, 0, time(attrs, "lastModifiedTime"))
            .withTimes(time(attrs, "lastAccessTime"), time(attrs, "ctime"));
    readXattrs(root, top);
    reader.fill(root, top);
    return new FileTree(top);
  }

  private void fill(Path dir, TreeNode node) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        TreeNode child = node(entry);
        node.put(entry.getFileName().toString(), child);
      }
    }
    for (Map.Entry<String, TreeNode> e : node.children().entrySet()) {
      if (e.getValue().kind() == TreeNode.Kind.DIRECTORY) {
        fill(dir.resolve(e.getKey()), e.getValue());
      }
    }
  }

  private TreeNode node(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, ATTRS, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    int type = mode & 0170000;
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
      hardlinks.put(key, node);
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
