package dev.strata.bridge.run;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.rootfs.RootfsView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A throw-away lower layer, stacked on top, holding an empty file or directory for every mount
 * point the rootfs lacks ({@code /proc}, {@code /etc/hosts}, a cache target…), so the runtime never
 * creates them in the upperdir (jib-and-layers.md §2.7, "mount stubs leak"). Directories it needs
 * on the way copy the owner, mode and mtime the stack shows, so the merged view does not change for
 * anything that exists.
 */
final class MountScaffold {
  private final RootfsView lowers;
  private final Path dir;

  MountScaffold(RootfsView lowers, Path dir) {
    this.lowers = lowers;
    this.dir = dir;
  }

  /**
   * Makes sure {@code target} (absolute, as the sandbox sees it) exists in the merged view, as a
   * file when {@code file}, else as a directory; returns its path relative to the root once
   * symlinks are resolved inside the root.
   */
  String ensure(String target, boolean file) throws IOException {
    String rel = lowers.resolve(target, true).substring(1);
    if (rel.isEmpty()) {
      return rel;
    }
    List<String> parts = List.of(rel.split("/"));
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        prefix.append('/');
      }
      prefix.append(parts.get(i));
      String p = prefix.toString();
      Optional<Path> shown = lowers.lookup(p);
      boolean last = i == parts.size() - 1;
      Path mine = dir.resolve(p);
      if (shown.isPresent()) {
        if (last) {
          return rel;
        }
        if (!Files.isDirectory(shown.get(), LinkOption.NOFOLLOW_LINKS)) {
          throw new RunSetupException(
              "cannot mount on /" + rel + ": /" + p + " is not a directory in the image");
        }
        if (!Files.isDirectory(mine, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(mine);
          copyMetadata(shown.get(), mine);
        }
      } else if (!Files.exists(mine, LinkOption.NOFOLLOW_LINKS)) {
        if (last && file) {
          Files.createFile(mine);
          Posix.chmod(mine, 0644);
        } else {
          Files.createDirectory(mine);
          Posix.chmod(mine, 0755);
        }
      }
    }
    return rel;
  }

  /** Whether the scaffold holds anything (an empty one is not stacked). */
  boolean isEmpty() throws IOException {
    try (var children = Files.list(dir)) {
      return children.findAny().isEmpty();
    }
  }

  /**
   * Sets directory mtimes again once all stubs exist (creating a stub changes its parent's mtime).
   */
  void restoreTimes() throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (p.equals(dir)) {
          continue;
        }
        Optional<Path> shown = lowers.lookup(dir.relativize(p).toString());
        if (shown.isPresent() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          FileTime t = Files.getLastModifiedTime(shown.get(), LinkOption.NOFOLLOW_LINKS);
          Posix.lutimes(p, t.toInstant().getEpochSecond(), t.toInstant().getNano());
        }
      }
    }
  }

  private static void copyMetadata(Path from, Path to) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(from, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
    Posix.lchown(to, (Integer) a.get("uid"), (Integer) a.get("gid"));
    Posix.chmod(to, (Integer) a.get("mode") & 07777);
  }
}
