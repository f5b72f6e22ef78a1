package dev.strata.bridge.rootfs;

import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A compact record of every entry of one extracted layer folder, kept beside it ({@code
 * <hex>.index}) so that a reader of the folder's metadata (the disk builder) reads one file instead
 * of a stat and an llistxattr per entry. It holds what a walk of the folder sees: each entry's
 * name, type and mode, owner, size, modification, access and change times, device number, symlink
 * target, extended attributes (overlay's own included: whiteouts stay character devices 0/0 and
 * opaque folders keep {@code trusted.overlay.opaque}) and hardlink groups by {@code (st_dev,
 * st_ino)}. Entries come parents first. Written once the folder is final (extracted folders never
 * change after); an index that is missing, damaged, of another version or of another folder (the
 * folder's inode and change time are recorded) reads as absent, and the folder is walked.
 *
 * <p>Access times: reading a folder or a symlink bumps its atime once under {@code relatime}, so
 * the index is taken after those reads and records the settled atime every later walk sees.
 */
public final class LayerIndex {
  private static final byte[] MAGIC = "STRATA-LAYER-INDEX\n".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final String SUFFIX = ".index";
  private static final String TEMP_PREFIX = ".index-";
  private static final String ATTRS =
      "unix:mode,ino,dev,nlink,uid,gid,size,rdev,lastModifiedTime,lastAccessTime,ctime";

  /**
   * One entry of the folder; {@code parent} is the position of its folder in the list (-1 for the
   * folder itself, whose {@code name} is empty), {@code linkGroup} is 0 or the same positive number
   * for every name of one multiply-linked inode, {@code linkTarget} a symlink's target, else null.
   */
  public record Entry(
      int parent,
      String name,
      int mode,
      int uid,
      int gid,
      long size,
      Instant mtime,
      Instant atime,
      Instant ctime,
      long rdev,
      int linkGroup,
      String linkTarget,
      Map<String, byte[]> xattrs) {
    /** The type bits of {@link #mode}. */
    public int type() {
      return mode & 0170000;
    }
  }

  private LayerIndex() {}

  /** Where the index of the layer folder {@code layerDir} is kept. */
  public static Path indexOf(Path layerDir) {
    return layerDir.resolveSibling(layerDir.getFileName() + SUFFIX);
  }

  /** Whether {@code fileName}, in the folder of extracted layers, is an index or its temp file. */
  static boolean isIndexName(String fileName) {
    return fileName.endsWith(SUFFIX) || fileName.startsWith(TEMP_PREFIX);
  }

  /** The layer folder an index file name belongs to. */
  static String layerNameOf(String indexFileName) {
    return indexFileName.substring(0, indexFileName.length() - SUFFIX.length());
  }

  /** Writes the index of the finished layer folder {@code layerDir} (temp file, then rename). */
  public static void write(Path layerDir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    Map<List<Long>, Integer> groups = new HashMap<>();
    add(layerDir, -1, "", entries, groups);
    settleAccessTimes(layerDir, entries);
    Map<String, Object> root = Files.readAttributes(layerDir, ATTRS, LinkOption.NOFOLLOW_LINKS);
    byte[] bytes = encode(entries, (Long) root.get("ino"), instant(root, "ctime"));
    Path index = indexOf(layerDir);
    Path temp = Files.createTempFile(index.getParent(), TEMP_PREFIX, ".tmp");
    try {
      Files.write(temp, bytes);
      Files.move(temp, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * The entries of {@code layerDir} from its index; empty when there is no index or it cannot be
   * trusted for this folder (damaged, another version, another folder).
   */
  public static Optional<List<Entry>> read(Path layerDir) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(indexOf(layerDir));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Map<String, Object> root = Files.readAttributes(layerDir, ATTRS, LinkOption.NOFOLLOW_LINKS);
    try {
      return Optional.ofNullable(decode(bytes, (Long) root.get("ino"), instant(root, "ctime")));
    } catch (RuntimeException e) { // BufferUnderflow, bad lengths: a damaged index
      return Optional.empty();
    }
  }

  private static void add(
      Path path, int parent, String name, List<Entry> entries, Map<List<Long>, Integer> groups)
      throws IOException {
    Map<String, Object> a = Files.readAttributes(path, ATTRS, LinkOption.NOFOLLOW_LINKS);
    int type = (Integer) a.get("mode") & 0170000;
    List<String> children = List.of();
    String target = null;
    if (type == 0040000) {
      children = list(path);
      a = Files.readAttributes(path, ATTRS, LinkOption.NOFOLLOW_LINKS); // atime after the read
    } else if (type == 0120000) {
      target = Files.readSymbolicLink(path).toString();
      a = Files.readAttributes(path, ATTRS, LinkOption.NOFOLLOW_LINKS);
    }
    int group = 0;
    if (type != 0040000 && (Integer) a.get("nlink") > 1) {
      List<Long> key = List.of((Long) a.get("dev"), (Long) a.get("ino"));
      group = groups.computeIfAbsent(key, k -> groups.size() + 1);
    }
    Map<String, byte[]> xattrs = Posix.lxattrs(path);
    int self = entries.size();
    entries.add(
        new Entry(
            parent,
            name,
            (Integer) a.get("mode"),
            (Integer) a.get("uid"),
            (Integer) a.get("gid"),
            (Long) a.get("size"),
            instant(a, "lastModifiedTime"),
            instant(a, "lastAccessTime"),
            instant(a, "ctime"),
            (Long) a.get("rdev"),
            group,
            target,
            xattrs));
    for (String child : children) {
      add(path.resolve(child), self, child, entries, groups);
    }
  }

  private static List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }

  /**
   * Reads again the folders and symlinks whose atime {@code relatime} would still bump (not after
   * both mtime and ctime: the read fell in the clock tick of the extraction), after a tick has
   * passed, and records their atime then.
   */
  private static void settleAccessTimes(Path layerDir, List<Entry> entries) throws IOException {
    Instant now = Instant.now();
    List<Integer> unsettled = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      boolean read = e.type() == 0040000 || e.type() == 0120000;
      if (read
          && !e.mtime().isAfter(now)
          && (!e.atime().isAfter(e.mtime()) || !e.atime().isAfter(e.ctime()))) {
        unsettled.add(i);
      }
    }
    if (unsettled.isEmpty()) {
      return;
    }
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while indexing " + layerDir, e);
    }
    Path[] paths = new Path[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      paths[i] = e.parent() < 0 ? layerDir : paths[e.parent()].resolve(e.name());
    }
    for (int i : unsettled) {
      Entry e = entries.get(i);
      if (e.type() == 0040000) {
        list(paths[i]);
      } else {
        Files.readSymbolicLink(paths[i]);
      }
      Map<String, Object> a = Files.readAttributes(paths[i], ATTRS, LinkOption.NOFOLLOW_LINKS);
      entries.set(
          i,
          new Entry(
              e.parent(),
              e.name(),
              e.mode(),
              e.uid(),
              e.gid(),
              e.size(),
              e.mtime(),
              instant(a, "lastAccessTime"),
              e.ctime(),
              e.rdev(),
              e.linkGroup(),
              e.linkTarget(),
              e.xattrs()));
    }
  }

  private static Instant instant(Map<String, Object> attrs, String name) {
    return ((FileTime) attrs.get(name)).toInstant();
  }

  private static byte[] encode(List<Entry> entries, long rootIno, Instant rootCtime) {
    Buffer out = new Buffer();
    out.bytes(MAGIC);
    out.putInt(VERSION);
    out.putLong(rootIno);
    out.time(rootCtime);
    out.putInt(entries.size());
    for (Entry e : entries) {
      out.putInt(e.parent());
      out.string(e.name());
      out.putInt(e.mode());
      out.putInt(e.uid());
      out.putInt(e.gid());
      out.putLong(e.size());
      out.time(e.mtime());
      out.time(e.atime());
      out.time(e.ctime());
      out.putLong(e.rdev());
      out.putInt(e.linkGroup());
      if (e.linkTarget() == null) {
        out.putInt(-1);
      } else {
        out.string(e.linkTarget());
      }
      out.putInt(e.xattrs().size());
      for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
        out.string(x.getKey());
        out.putInt(x.getValue().length);
        out.bytes(x.getValue());
      }
    }
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, out.size());
    out.putInt((int) crc.getValue());
    return java.util.Arrays.copyOf(out.array(), out.size());
  }

  /** The entries, or null when the index is not this version's or not this folder's. */
  private static List<Entry> decode(byte[] bytes, long rootIno, Instant rootCtime) {
    if (bytes.length < MAGIC.length + 8) {
      return null;
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (in.getInt(bytes.length - 4) != (int) crc.getValue()) {
      return null;
    }
    byte[] magic = new byte[MAGIC.length];
    in.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC) || in.getInt() != VERSION) {
      return null;
    }
    if (in.getLong() != rootIno || !time(in).equals(rootCtime)) {
      return null; // the index of a folder that was replaced since
    }
    int count = in.getInt();
    List<Entry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int parent = in.getInt();
      if (parent >= i || (parent < 0) != (i == 0)) {
        return null;
      }
      String name = string(in, in.getInt());
      int mode = in.getInt();
      int uid = in.getInt();
      int gid = in.getInt();
      long size = in.getLong();
      Instant mtime = time(in);
      Instant atime = time(in);
      Instant ctime = time(in);
      long rdev = in.getLong();
      int group = in.getInt();
      int targetLength = in.getInt();
      String target = targetLength < 0 ? null : string(in, targetLength);
      int xattrCount = in.getInt();
      Map<String, byte[]> xattrs = new LinkedHashMap<>();
      for (int x = 0; x < xattrCount; x++) {
        String key = string(in, in.getInt());
        byte[] value = new byte[in.getInt()];
        in.get(value);
        xattrs.put(key, value);
      }
      entries.add(
          new Entry(
              parent, name, mode, uid, gid, size, mtime, atime, ctime, rdev, group, target,
              xattrs));
    }
    return in.remaining() == 4 ? entries : null;
  }

  private static String string(ByteBuffer in, int length) {
    String s = new String(bytes(in, length), StandardCharsets.UTF_8);
    return s;
  }

  private static byte[] bytes(ByteBuffer in, int length) {
    byte[] b = new byte[length];
    in.get(b);
    return b;
  }

  private static Instant time(ByteBuffer in) {
    long seconds = in.getLong();
    return Instant.ofEpochSecond(seconds, in.getInt());
  }

  /** A growing little-endian byte buffer. */
  private static final class Buffer {
    private ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    private void room(int n) {
      if (b.remaining() < n) {
        ByteBuffer bigger =
            ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.flip();
        bigger.put(b);
        b = bigger;
      }
    }

    void putInt(int v) {
      room(4);
      b.putInt(v);
    }

    void putLong(long v) {
      room(8);
      b.putLong(v);
    }

    void bytes(byte[] v) {
      room(v.length);
      b.put(v);
    }

    void string(String s) {
      byte[] v = s.getBytes(StandardCharsets.UTF_8);
      putInt(v.length);
      bytes(v);
    }

    void time(Instant t) {
      putLong(t.getEpochSecond());
      putInt(t.getNano());
    }

    byte[] array() {
      return b.array();
    }

    int size() {
      return b.position();
    }
  }
}
