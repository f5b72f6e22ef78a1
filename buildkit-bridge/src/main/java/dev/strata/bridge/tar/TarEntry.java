package dev.strata.bridge.tar;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of a layer tar, with every attribute an exact bootc layer needs. {@code path} is
 * relative, uses {@code /}, has no {@code ./} prefix and no trailing slash; {@code mode} holds the
 * permission bits including setuid, setgid and sticky (never the file type); xattr values are raw
 * bytes.
 */
public record TarEntry(
    String path,
    EntryType type,
    int mode,
    int uid,
    int gid,
    Instant mtime,
    long size,
    String linkTarget,
    int devMajor,
    int devMinor,
    SortedMap<String, byte[]> xattrs) {

  public TarEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(mtime, "mtime");
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException(
          "tar entry path must be relative and clean: '" + path + "'");
    }
    if (("/" + path + "/").contains("/../")) {
      throw new IllegalArgumentException("tar entry path must not contain '..': '" + path + "'");
    }
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("mode must hold permission bits only: " + mode);
    }
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("negative owner " + uid + ":" + gid + " for " + path);
    }
    if (size < 0 || (size > 0 && type != EntryType.REGULAR)) {
      throw new IllegalArgumentException("only regular files have content: " + path);
    }
    boolean link = type == EntryType.SYMLINK || type == EntryType.HARDLINK;
    if (link != (linkTarget != null && !linkTarget.isEmpty())) {
      throw new IllegalArgumentException("link target required exactly for links: " + path);
    }
    boolean device = type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE;
    if (!device && (devMajor != 0 || devMinor != 0)) {
      throw new IllegalArgumentException("device numbers on a non-device: " + path);
    }
    xattrs = Collections.unmodifiableSortedMap(new TreeMap<>(xattrs == null ? Map.of() : xattrs));
  }

  /** A directory entry. */
  public static TarEntry directory(String path, int mode, int uid, int gid, Instant mtime) {
    return new TarEntry(
        path, EntryType.DIRECTORY, mode, uid, gid, mtime, 0, null, 0, 0, new TreeMap<>());
  }

  /** A regular file entry of {@code size} bytes. */
  public static TarEntry file(String path, int mode, int uid, int gid, Instant mtime, long size) {
    return new TarEntry(
        path, EntryType.REGULAR, mode, uid, gid, mtime, size, null, 0, 0, new TreeMap<>());
  }

  /** A symlink entry; symlinks always have mode 0777 on Linux. */
  public static TarEntry symlink(String path, String target, int uid, int gid, Instant mtime) {
    return new TarEntry(
        path, EntryType.SYMLINK, 0777, uid, gid, mtime, 0, target, 0, 0, new TreeMap<>());
  }

  /** This entry with other extended attributes. */
  public TarEntry withXattrs(Map<String, byte[]> newXattrs) {
    return new TarEntry(
        path,
        type,
        mode,
        uid,
        gid,
        mtime,
        size,
        linkTarget,
        devMajor,
        devMinor,
        new TreeMap<>(newXattrs));
  }

  /** This entry with its mtime clamped to at most {@code limit}, as SOURCE_DATE_EPOCH asks. */
  public TarEntry clampedTo(Instant limit) {
    if (!mtime.isAfter(limit)) {
      return this;
    }
    return new TarEntry(
        path,
        type,
        mode,
        uid,
        gid,
        limit,
        size,
        linkTarget,
        devMajor,
        devMinor,
        new TreeMap<>(xattrs));
  }

  // Records compare arrays by identity; xattr values must compare by content.
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TarEntry e)) {
      return false;
    }
    if (!(path.equals(e.path)
        && type == e.type
        && mode == e.mode
        && uid == e.uid
        && gid == e.gid
        && mtime.equals(e.mtime)
        && size == e.size
        && Objects.equals(linkTarget, e.linkTarget)
        && devMajor == e.devMajor
        && devMinor == e.devMinor
        && xattrs.keySet().equals(e.xattrs.keySet()))) {
      return false;
    }
    return xattrs.entrySet().stream()
        .allMatch(x -> Arrays.equals(x.getValue(), e.xattrs.get(x.getKey())));
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, type, mode, uid, gid, mtime, size, linkTarget, xattrs.keySet());
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append(type).append(' ').append(path).append(String.format(" %04o %d:%d ", mode, uid, gid));
    s.append(mtime).append(" size=").append(size);
    if (linkTarget != null) {
      s.append(" -> ").append(linkTarget);
    }
    if (devMajor != 0 || devMinor != 0) {
      s.append(" dev=").append(devMajor).append(',').append(devMinor);
    }
    xattrs.forEach((k, v) -> s.append(' ').append(k).append('=').append(Arrays.toString(v)));
    return s.toString();
  }
}
