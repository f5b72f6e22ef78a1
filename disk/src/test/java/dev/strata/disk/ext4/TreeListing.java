package dev.strata.disk.ext4;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A text listing of a {@link FileTree}, one line a name with every attribute the ext4 writer uses,
 * so two trees compare as strings and a difference reads as a diff. A host file is named by its
 * inode (the names of one hardlinked file list the same), a node seen before by its first path.
 */
public final class TreeListing {
  private TreeListing() {}

  public static String of(FileTree tree) {
    StringBuilder out = new StringBuilder();
    list("/", tree.root(), new IdentityHashMap<>(), out);
    return out.toString();
  }

  private static void list(String path, TreeNode n, Map<TreeNode, String> seen, StringBuilder out) {
    String first = seen.putIfAbsent(n, path);
    out.append(path).append(' ');
    if (first != null && n.kind() != TreeNode.Kind.DIRECTORY) {
      out.append("same node as ").append(first).append('\n');
      return;
    }
    out.append(n.kind())
        .append(String.format(" %04o %d:%d", n.permissions(), n.uid(), n.gid()))
        .append(" m=")
        .append(n.mtime())
        .append(" a=")
        .append(n.atime())
        .append(" c=")
        .append(n.ctime());
    if (n.content() instanceof FileContent.HostFile f) {
      try {
        out.append(" size=")
            .append(f.size())
            .append(" ino=")
            .append(Files.getAttribute(f.path(), "unix:ino", LinkOption.NOFOLLOW_LINKS));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (n.linkTarget() != null) {
      out.append(" -> ")
          .append(new String(n.linkTarget(), java.nio.charset.StandardCharsets.UTF_8));
    }
    if (n.kind() == TreeNode.Kind.CHAR_DEVICE || n.kind() == TreeNode.Kind.BLOCK_DEVICE) {
      out.append(" dev=").append(n.major()).append(',').append(n.minor());
    }
    new java.util.TreeMap<>(n.xattrs())
        .forEach(
            (k, v) -> out.append(' ').append(k).append('=').append(HexFormat.of().formatHex(v)));
    out.append('\n');
    String prefix = path.equals("/") ? "/" : path + "/";
    n.children().forEach((name, child) -> list(prefix + name, child, seen, out));
  }
}
