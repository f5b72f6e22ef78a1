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

/**
 * Every attribute of every file below a root, as comparable text, for round-trip and oracle
 * assertions: type and mode, owner, mtime (optional), content digest, link target, device numbers,
 * hardlink group (the first path of the inode) and xattrs ({@code security.selinux} left out).
 */
public final class TreeSnapshot {
  private TreeSnapshot() {}

  /** The snapshot with mtimes. */
  public static TreeMap<String, String> of(Path root) throws IOException {
    return of(root, true);
  }

  /** The snapshot, with or without mtimes. */
  public static TreeMap<String, String> of(Path root, boolean withMtime) throws IOException {
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
      if (withMtime) {
        s.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toInstant());
      }
      String rel = root.relativize(p).toString();
      int type = mode & 0170000;
      if (type == 0100000) {
        s.append(" sha=").append(Digest.sha256(Files.readAllBytes(p)).hex(), 0, 16);
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
