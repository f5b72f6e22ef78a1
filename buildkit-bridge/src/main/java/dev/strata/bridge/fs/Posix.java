package dev.strata.bridge.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The POSIX calls that Java NIO lacks and an exact layer needs: {@code lchown}, {@code mknod},
 * {@code l*xattr} for every namespace (NIO only sees {@code user.*}, and opens the file, which
 * fails on devices) and {@code utimensat} without following symlinks. Linux x86_64/aarch64 only.
 */
public final class Posix {
  /** File type bits of {@code st_mode}. */
  public static final int S_IFIFO = 0010000;

  public static final int S_IFCHR = 0020000;
  public static final int S_IFBLK = 0060000;

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int ERANGE = 34;
  private static final int ENODATA = 61;
  private static final int ENXIO = 6;
  private static final int EINVAL = 22;
  private static final int SEEK_DATA = 3;
  private static final int SEEK_HOLE = 4;
  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final int STATX_BTIME = 0x800;

  private Posix() {}

  /** The glibc symbols used; glibc 2.33+ exports {@code mknod} directly. */
  interface LibC extends Library {
    int lchown(String path, int uid, int gid) throws LastErrorException;

    int mknod(String path, int mode, long dev) throws LastErrorException;

    int chmod(String path, int mode) throws LastErrorException;

    int lsetxattr(String path, String name, byte[] value, long size, int flags)
        throws LastErrorException;

    long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;

    long llistxattr(String path, byte[] list, long size) throws LastErrorException;

    int lremovexattr(String path, String name) throws LastErrorException;

    // struct timespec[2] on LP64 Linux is four longs: atime sec, nsec, mtime sec, nsec.
    int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

    int geteuid();

    int open(String path, int flags) throws LastErrorException;

    long lseek(int fd, long offset, int whence) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int statx(int dirfd, String path, int flags, int mask, byte[] statxbuf)
        throws LastErrorException;
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private static LibC libc() {
    return Holder.LIBC;
  }

  /** Whether this process runs as root (so owners, devices and trusted xattrs can be set). */
  public static boolean isRoot() {
    return libc().geteuid() == 0;
  }

  /** Changes the owner of {@code path} itself, never a symlink's target. */
  public static void lchown(Path path, int uid, int gid) throws IOException {
    try {
      libc().lchown(path.toString(), uid, gid);
    } catch (LastErrorException e) {
      throw failure("lchown", path, e);
    }
  }

  /**
   * Sets permission bits including setuid/setgid/sticky. NIO's {@code unix:mode} opens the file
   * first, which blocks on a fifo and fails on a device; chmod(2) does neither. Follows a symlink,
   * so callers never pass one.
   */
  public static void chmod(Path path, int mode) throws IOException {
    try {
      libc().chmod(path.toString(), mode);
    } catch (LastErrorException e) {
      throw failure("chmod", path, e);
    }
  }

  /** Creates a device node or fifo; {@code mode} carries the type bits. */
  public static void mknod(Path path, int mode, int major, int minor) throws IOException {
    try {
      libc().mknod(path.toString(), mode, makedev(major, minor));
    } catch (LastErrorException e) {
      throw failure("mknod", path, e);
    }
  }

  /** Sets the access and modification time of {@code path} itself to {@code sec.nanos}. */
  public static void lutimes(Path path, long epochSecond, int nanos) throws IOException {
    long[] times = {epochSecond, nanos, epochSecond, nanos};
    try {
      libc().utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW);
    } catch (LastErrorException e) {
      throw failure("utimensat", path, e);
    }
  }

  /** Sets one extended attribute on {@code path} itself, with its raw bytes. */
  public static void lsetxattr(Path path, String name, byte[] value) throws IOException {
    try {
      libc().lsetxattr(path.toString(), name, value, value.length, 0);
    } catch (LastErrorException e) {
      throw failure("lsetxattr " + name, path, e);
    }
  }

  /** Removes one extended attribute from {@code path} itself; absent is not an error. */
  public static void lremovexattr(Path path, String name) throws IOException {
    try {
      libc().lremovexattr(path.toString(), name);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != ENODATA) {
        throw failure("lremovexattr " + name, path, e);
      }
    }
  }

  /** The raw bytes of one extended attribute, or {@code null} when it is not set. */
  public static byte[] lgetxattr(Path path, String name) throws IOException {
    byte[] buffer = new byte[256];
    while (true) {
      try {
        long n = libc().lgetxattr(path.toString(), name, buffer, buffer.length);
        return java.util.Arrays.copyOf(buffer, (int) n);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ENODATA) {
          return null;
        }
        if (e.getErrorCode() != ERANGE) {
          throw failure("lgetxattr " + name, path, e);
        }
        buffer = new byte[buffer.length * 4];
      }
    }
  }

  /** The names of every extended attribute on {@code path} itself, in the kernel's order. */
  public static List<String> llistxattr(Path path) throws IOException {
    byte[] buffer = new byte[1024];
    long n;
    while (true) {
      try {
        n = libc().llistxattr(path.toString(), buffer, buffer.length);
        break;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != ERANGE) {
          throw failure("llistxattr", path, e);
        }
        buffer = new byte[buffer.length * 4];
      }
    }
    List<String> names = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (buffer[i] == 0) {
        names.add(new String(buffer, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return names;
  }

  /**
   * Every extended attribute on {@code path} itself with its value, in the kernel's order; one
   * removed between listing and reading is left out.
   */
  public static Map<String, byte[]> lxattrs(Path path) throws IOException {
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    for (String name : llistxattr(path)) {
      byte[] value = lgetxattr(path, name);
      if (value != null) {
        xattrs.put(name, value);
      }
    }
    return xattrs;
  }

  /**
   * The ranges of {@code file} between {@code from} and {@code to} that hold data, as {@code
   * [start, end)} pairs: everything else is a hole and reads as zeros ({@code SEEK_DATA} and {@code
   * SEEK_HOLE}). A filesystem without hole support reports the whole range as data.
   */
  public static List<long[]> dataRanges(Path file, long from, long to) throws IOException {
    List<long[]> ranges = new ArrayList<>();
    int fd;
    try {
      fd = libc().open(file.toString(), 0);
    } catch (LastErrorException e) {
      throw failure("open", file, e);
    }
    try {
      long at = from;
      while (at < to) {
        long data;
        try {
          data = libc().lseek(fd, at, SEEK_DATA);
        } catch (LastErrorException e) {
          if (e.getErrorCode() == ENXIO) {
            break; // only a hole up to the end of the file
          }
          if (e.getErrorCode() == EINVAL) {
            ranges.add(new long[] {at, to});
            break;
          }
          throw failure("lseek SEEK_DATA", file, e);
        }
        if (data >= to) {
          break;
        }
        long hole;
        try {
          hole = libc().lseek(fd, data, SEEK_HOLE);
        } catch (LastErrorException e) {
          throw failure("lseek SEEK_HOLE", file, e);
        }
        ranges.add(new long[] {data, Math.min(hole, to)});
        at = hole;
      }
    } finally {
      libc().close(fd);
    }
    return ranges;
  }

  /**
   * {@code statx(2)} of {@code path} itself (a symlink is not followed), with the birth time when
   * the filesystem records one: one call where NIO's {@code unix:*} needs several and has no birth
   * time.
   */
  public static FileStatus lstatx(Path path) throws IOException {
    byte[] buffer = new byte[256];
    try {
      libc()
          .statx(
              AT_FDCWD,
              path.toString(),
              AT_SYMLINK_NOFOLLOW,
              STATX_BASIC_STATS | STATX_BTIME,
              buffer);
    } catch (LastErrorException e) {
      throw failure("statx", path, e);
    }
    // struct statx (linux/stat.h), little-endian on x86_64 and aarch64
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.wrap(buffer).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int mask = b.getInt(0);
    long birth = (mask & STATX_BTIME) != 0 ? nanos(b, 80) : FileStatus.NO_BIRTH_TIME;
    long device = ((long) b.getInt(136) << 32) | (b.getInt(140) & 0xffffffffL);
    return new FileStatus(
        b.getShort(28) & 0xffff,
        b.getInt(20),
        b.getInt(24),
        b.getLong(40),
        b.getInt(16) & 0xffffffffL,
        b.getLong(32),
        device,
        b.getInt(128),
        b.getInt(132),
        nanos(b, 112),
        nanos(b, 96),
        birth);
  }

  /** A {@code struct statx_timestamp} at {@code offset} as nanoseconds since 1970. */
  private static long nanos(java.nio.ByteBuffer b, int offset) {
    return b.getLong(offset) * 1_000_000_000L + (b.getInt(offset + 8) & 0xffffffffL);
  }

  /** glibc's {@code makedev}: the 64-bit device number the kernel expects. */
  static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0xfffff000L) << 32)
        | ((ma & 0x00000fffL) << 8)
        | ((mi & 0xffffff00L) << 12)
        | (mi & 0x000000ffL);
  }

  /** The major number of a device number as NIO's {@code unix:rdev} reports it. */
  public static int major(long dev) {
    return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0x00000fffL));
  }

  /** The minor number of a device number as NIO's {@code unix:rdev} reports it. */
  public static int minor(long dev) {
    return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0x000000ffL));
  }

  private static IOException failure(String call, Path path, LastErrorException e) {
    return new IOException(
        call + " " + path + ": errno " + e.getErrorCode() + " " + e.getMessage());
  }
}
