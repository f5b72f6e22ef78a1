package dev.strata.disk.ext4;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One inode of a tree to write: its type, permission bits, owner, times and extended attributes,
 * and what its type carries (a file's content, a directory's named children, a symlink's target, a
 * device's numbers). A hardlinked file is one node under several names.
 */
public final class TreeNode {
  /** The inode types ext4 stores, with their {@code st_mode} type bits and directory-entry type. */
  public enum Kind {
    FILE(0100000, 1),
    DIRECTORY(0040000, 2),
    CHAR_DEVICE(0020000, 3),
    BLOCK_DEVICE(0060000, 4),
    FIFO(0010000, 5),
    SOCKET(0140000, 6),
    SYMLINK(0120000, 7);

    final int typeBits;
    final int direntType;

    Kind(int typeBits, int direntType) {
      this.typeBits = typeBits;
      this.direntType = direntType;
    }
  }

  /** A point in time with nanoseconds, as {@code stat} reports it. */
  public record Time(long seconds, int nanos) {}

  private final Kind kind;
  private final int permissions;
  private final int uid;
  private final int gid;
  private final Time atime;
  private final Time mtime;
  private final Time ctime;
  private final Map<String, byte[]> xattrs = new LinkedHashMap<>();
  private final FileContent content;
  private final byte[] linkTarget;
  private final int major;
  private final int minor;
  private final NavigableMap<String, TreeNode> children;

  private TreeNode(
      Kind kind,
      int permissions,
      int uid,
      int gid,
      Time mtime,
      Time atime,
      Time ctime,
      FileContent content,
      byte[] linkTarget,
      int major,
      int minor) {
    this.kind = kind;
    this.permissions = permissions & 07777;
    this.uid = uid;
    this.gid = gid;
    this.mtime = mtime;
    this.atime = atime;
    this.ctime = ctime;
    this.content = content;
    this.linkTarget = linkTarget;
    this.major = major;
    this.minor = minor;
    this.children = kind == Kind.DIRECTORY ? new TreeMap<>() : null;
  }

  /** An empty directory. */
  public static TreeNode directory(int permissions, int uid, int gid, Time mtime) {
    return new TreeNode(
        Kind.DIRECTORY, permissions, uid, gid, mtime, mtime, mtime, null, null, 0, 0);
  }

  /** A regular file. */
  public static TreeNode file(int permissions, int uid, int gid, Time mtime, FileContent content) {
    return new TreeNode(Kind.FILE, permissions, uid, gid, mtime, mtime, mtime, content, null, 0, 0);
  }

  /** A symbolic link to {@code target} (stored as is, never resolved). */
  public static TreeNode symlink(int uid, int gid, Time mtime, String target) {
    return new TreeNode(
        Kind.SYMLINK,
        0777,
        uid,
        gid,
        mtime,
        mtime,
        mtime,
        null,
        target.getBytes(StandardCharsets.UTF_8),
        0,
        0);
  }

  /** A character or block device, fifo or socket. */
  public static TreeNode special(
      Kind kind, int permissions, int uid, int gid, Time mtime, int major, int minor) {
    if (kind == Kind.FILE || kind == Kind.DIRECTORY || kind == Kind.SYMLINK) {
      throw new IllegalArgumentException(kind + " is not a special file");
    }
    return new TreeNode(kind, permissions, uid, gid, mtime, mtime, mtime, null, null, major, minor);
  }

  /** This node with its access and change times set too (a source that has them). */
  public TreeNode withTimes(Time atime, Time ctime) {
    TreeNode copy =
        new TreeNode(
            kind, permissions, uid, gid, mtime, atime, ctime, content, linkTarget, major, minor);
    copy.xattrs.putAll(xattrs);
    return copy;
  }

  /**
   * This node with other permission bits and owner, keeping everything else (a directory keeps its
   * children).
   */
  public TreeNode withOwner(int permissions, int uid, int gid) {
    TreeNode copy =
        new TreeNode(
            kind, permissions, uid, gid, mtime, atime, ctime, content, linkTarget, major, minor);
    copy.xattrs.putAll(xattrs);
    if (children != null) {
      copy.children.putAll(children);
    }
    return copy;
  }

  public Kind kind() {
    return kind;
  }

  public int permissions() {
    return permissions;
  }

  public int uid() {
    return uid;
  }

  public int gid() {
    return gid;
  }

  public Time atime() {
    return atime;
  }

  public Time mtime() {
    return mtime;
  }

  public Time ctime() {
    return ctime;
  }

  /** A file's content; null for every other kind. */
  public FileContent content() {
    return content;
  }

  /** A symlink's target bytes; null for every other kind. */
  public byte[] linkTarget() {
    return linkTarget == null ? null : linkTarget.clone();
  }

  byte[] linkTargetBytes() {
    return linkTarget;
  }

  public int major() {
    return major;
  }

  public int minor() {
    return minor;
  }

  /** Extended attributes by full name ({@code security.capability}), raw values as read. */
  public Map<String, byte[]> xattrs() {
    return xattrs;
  }

  /** A directory's children by name, sorted; empty for other kinds. */
  public NavigableMap<String, TreeNode> children() {
    return children == null ? Collections.emptyNavigableMap() : children;
  }

  /** Adds or replaces the child {@code name} of this directory. */
  public void put(String name, TreeNode child) {
    if (children == null) {
      throw new IllegalStateException("not a directory");
    }
    children.put(name, child);
  }

  /** The child {@code name} of this directory, or null. */
  public TreeNode child(String name) {
    return children == null ? null : children.get(name);
  }

  /** Removes the child {@code name}; returns it, or null. */
  public TreeNode remove(String name) {
    return children == null ? null : children.remove(name);
  }
}
