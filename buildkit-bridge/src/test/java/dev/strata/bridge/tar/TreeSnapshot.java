package dev.strata.bridge.tar;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every attribute of every file below a root, as comparable text, for tree assertions. */
public final class TreeSnapshot {
  private TreeSnapshot() {}

  /** Every attribute, mtimes included. */
  public static TreeMap<String, String> of(Path root) throws IOException {
    return of(root, true);
  }

  /**
   * Every attribute but mtimes: for trees made by different tools at different times (oracle
   * comparisons), where paths, types, modes, owners, link targets, hardlink groups, xattrs and
   * bytes must agree.
   */
  public static TreeMap<String, String> withoutTimes(Path root) throws IOException {
    return of(root, false);
  }

  private static TreeMap<String, String> of(Path root, boolean times) throws IOException {
    TreeMap<String, String> out = new TreeMap<>();
    Map<String, String> firstOfInode = new HashMap<>();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.filter(p -> !p.equals(root)).sorted().toList();
    }
    for (Path p : paths) {
      Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      StringBuilder s = new StringBuilder(String.format("%07o", mode));
      s.append(' ').append(a.get("uid")).append(':').append(a.get("gid"));
      if ((mode & 0170000) != 0120000) {
        // symlink mtimes are set too, but compared separately by the tests that care
      }
      if (times) {
        s.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toInstant());
      }
      String rel = root.relativize(p).toString();
      int type = mode & 0170000;
      if (type == 0100000) {
        s.append(" sha=").append(Digest.sha256(Files.readAllBytes(p)).hex(), 0, 12);
      } else if (type == 0120000) {
        s.append(" -> ").append(Files.readSymbolicLink(p));
      } else if (type == 0020000 || type == 0060000) {
        long rdev = (Long) a.get("rdev");
        s.append(" dev=").append(Posix.major(rdev)).append(',').append(Posix.minor(rdev));
      }
      if (type != 0040000 && (Integer) a.get("nlink") > 1) {
        String first = firstOfInode.putIfAbsent(a.get("dev") + ":" + a.get("ino"), rel);
        s.append(" inode=").append(first == null ? rel : first);
      }
      for (String name : Posix.llistxattr(p).stream().sorted().toList()) {
        if (name.equals("security.selinux")) {
          continue;
        }
        s.append(' ').append(name).append('=');
        s.append(HexFormat.of().formatHex(Posix.lgetxattr(p, name)));
      }
      out.put(rel, s.toString());
    }
    return out;
  }
}
