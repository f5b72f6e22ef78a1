package dev.strata.bridge.run;

import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.tar.PathChoice;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.bridge.tar.TreeFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Reads an overlay upperdir as a layer (jib-and-layers.md §2.5): a 0/0 character device becomes
 * {@code .wh.name} (checked before hardlinks, since the kernel shares one whiteout inode), and only
 * when a lower layer shows the path; an opaque directory that a lower layer shows gets {@code
 * .wh..wh..opq} beside its own entry; overlay's {@code trusted.overlay.*} xattrs are left out by
 * {@code LayerWriter}; the sandbox's mount points are never written.
 */
final class UpperdirDiff implements TreeFilter {
  static final String WHITEOUT = ".wh.";
  static final String OPAQUE_MARKER = ".wh..wh..opq";

  private final RootfsView lowers;
  private final Set<String> mountPoints;

  /**
   * A filter over an upperdir mounted above {@code lowers}; {@code mountPoints} are the relative
   * paths the sandbox mounted something on.
   */
  UpperdirDiff(RootfsView lowers, Set<String> mountPoints) {
    this.lowers = lowers;
    this.mountPoints = Set.copyOf(mountPoints);
  }

  @Override
  public PathChoice choose(String rel, Path file) throws IOException {
    if (mountPoints.contains(rel) && !lowers.exists(rel) && isEmptyStub(file)) {
      return PathChoice.prune();
    }
    BasicFileAttributes a =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.isOther() && RootfsView.isWhiteout(file)) {
      if (!lowers.exists(rel)) {
        return PathChoice.prune(); // created and deleted within this RUN
      }
      return PathChoice.replaceWith(List.of(whiteout(siblingPath(rel, WHITEOUT + name(rel)))));
    }
    if (a.isDirectory() && RootfsView.isOpaque(file) && lowers.exists(rel)) {
      return PathChoice.keepWith(List.of(whiteout(rel + "/" + OPAQUE_MARKER)));
    }
    return PathChoice.keep();
  }

  /** A whiteout as OCI and containers/storage write it: empty, mode 0, root, epoch mtime. */
  static TarEntry whiteout(String path) {
    return TarEntry.file(path, 0, 0, 0, Instant.EPOCH, 0);
  }

  static String siblingPath(String rel, String name) {
    int slash = rel.lastIndexOf('/');
    return slash < 0 ? name : rel.substring(0, slash + 1) + name;
  }

  static String name(String rel) {
    return rel.substring(rel.lastIndexOf('/') + 1);
  }

  /** Whether {@code file} is what a mount stub is: an empty directory or an empty file. */
  static boolean isEmptyStub(Path file) throws IOException {
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      try (var children = Files.list(file)) {
        return children.findAny().isEmpty();
      }
    }
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == 0;
  }
}
