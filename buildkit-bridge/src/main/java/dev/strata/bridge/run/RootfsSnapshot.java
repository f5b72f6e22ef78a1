package dev.strata.bridge.run;

import dev.strata.bridge.fs.FileStatus;
import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every entry below a root as the walking diff compares it (jib-and-layers.md §2.6): the full
 * {@code statx} record (type, mode, owner, size, links, inode, device numbers, mtime, ctime and
 * birth time in nanoseconds), the symlink target and the xattrs with their raw values. The ctime is
 * what catches a rewrite that keeps size and mtime ({@code touch -r}) and any chmod, chown or xattr
 * change: userspace cannot set it back. Paths are relative, {@code /}-separated.
 */
final class RootfsSnapshot {
  /** One entry's recorded state; two states are equal when nothing about the entry changed. */
  record Entry(FileStatus status, String linkTarget, Map<String, String> xattrs) {
    /**
     * Whether both states are of the same file (a path removed and created again is another file
     * even where the filesystem hands out the same inode number again: its birth time differs).
     */
    boolean sameFileAs(Entry other) {
      return status.inode() == other.status.inode()
          && status.device() == other.status.device()
          && status.birthNanos() == other.status.birthNanos()
          && status.type() == other.status.type();
    }
  }

  private final Map<String, Entry> entries;

  private RootfsSnapshot(Map<String, Entry> entries) {
    this.entries = entries;
  }

  /** Records every entry below {@code root} (not {@code root} itself). */
  static RootfsSnapshot of(Path root) throws IOException {
    Map<String, Entry> entries = new HashMap<>();
    record(root, "", entries);
    return new RootfsSnapshot(entries);
  }

  private static void record(Path dir, String prefix, Map<String, Entry> into) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    }
    for (Path child : children) {
      String rel = prefix + child.getFileName();
      FileStatus status = Posix.lstatx(child);
      String link = status.isSymlink() ? Files.readSymbolicLink(child).toString() : null;
      TreeMap<String, String> xattrs = new TreeMap<>();
      Posix.lxattrs(child)
          .forEach((name, value) -> xattrs.put(name, HexFormat.of().formatHex(value)));
      into.put(rel, new Entry(status, link, xattrs));
      if (status.isDirectory()) {
        record(child, rel + "/", into);
      }
    }
  }

  /** The recorded state of {@code rel}, if it existed. */
  Optional<Entry> get(String rel) {
    return Optional.ofNullable(entries.get(rel));
  }

  /** Every recorded path. */
  Iterable<String> paths() {
    return entries.keySet();
  }
}
