package dev.strata.bridge.fs;

/**
 * What {@code statx(2)} says about one file, not following a symlink: {@code mode} with its type
 * bits, numeric owner, size, link count, inode and the device holding it, the device a node stands
 * for ({@code rdev}), and change, modification and birth times in nanoseconds since 1970. {@code
 * birthNanos} is {@link #NO_BIRTH_TIME} where the filesystem does not record it.
 */
public record FileStatus(
    int mode,
    int uid,
    int gid,
    long size,
    long nlink,
    long inode,
    long device,
    int rdevMajor,
    int rdevMinor,
    long mtimeNanos,
    long ctimeNanos,
    long birthNanos) {
  /** The birth time of a file on a filesystem that keeps none. */
  public static final long NO_BIRTH_TIME = Long.MIN_VALUE;

  /** The type bits of {@link #mode} ({@code S_IFMT}). */
  public int type() {
    return mode & 0170000;
  }

  public boolean isDirectory() {
    return type() == 0040000;
  }

  public boolean isSymlink() {
    return type() == 0120000;
  }

  public boolean isSocket() {
    return type() == 0140000;
  }
}
