package dev.strata.bridge.tar;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a ustar archive with PAX extended headers where ustar cannot say it: long or non-ASCII
 * names, large ids or sizes, sub-second mtimes, and raw-byte {@code SCHILY.xattr.*} records. It
 * writes no atime, ctime, uname or gname, so output depends only on the entries given, in the order
 * given (callers sort).
 */
public final class TarWriter implements Closeable {
  private static final long MAX_OCTAL_8 = 07777777L;
  private static final long MAX_OCTAL_12 = 077777777777L;

  private final OutputStream out;
  private boolean finished;

  /** A writer onto {@code out}; {@link #close()} ends the archive and closes {@code out}. */
  public TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes an entry without content (anything but a non-empty regular file). */
  public void write(TarEntry entry) throws IOException {
    if (entry.size() != 0) {
      throw new IllegalArgumentException("content required for " + entry.path());
    }
    write(entry, InputStream.nullInputStream());
  }

  /** Writes an entry and exactly {@code entry.size()} bytes of {@code content}. */
  public void write(TarEntry entry, InputStream content) throws IOException {
    if (finished) {
      throw new IllegalStateException("archive already finished");
    }
    String name = entry.path() + (entry.type() == EntryType.DIRECTORY ? "/" : "");
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes =
        entry.linkTarget() == null
            ? new byte[0]
            : entry.linkTarget().getBytes(StandardCharsets.UTF_8);
    Instant mtime = entry.mtime();

    SortedMap<String, byte[]> pax = new TreeMap<>();
    if (nameBytes.length > UstarHeader.NAME_LEN || !isAscii(nameBytes)) {
      pax.put("path", nameBytes);
    }
    if (linkBytes.length > UstarHeader.NAME_LEN || !isAscii(linkBytes)) {
      pax.put("linkpath", linkBytes);
    }
    if (entry.uid() > MAX_OCTAL_8) {
      pax.put("uid", ascii(Integer.toString(entry.uid())));
    }
    if (entry.gid() > MAX_OCTAL_8) {
      pax.put("gid", ascii(Integer.toString(entry.gid())));
    }
    if (entry.size() > MAX_OCTAL_12) {
      pax.put("size", ascii(Long.toString(entry.size())));
    }
    if (mtime.getNano() != 0
        || mtime.getEpochSecond() < 0
        || mtime.getEpochSecond() > MAX_OCTAL_12) {
      pax.put("mtime", ascii(paxTime(mtime)));
    }
    for (Map.Entry<String, byte[]> xattr : entry.xattrs().entrySet()) {
      pax.put(PaxHeaders.XATTR_PREFIX + xattr.getKey(), xattr.getValue());
    }

    if (!pax.isEmpty()) {
      byte[] records = PaxHeaders.encode(pax);
      byte[] header = new byte[UstarHeader.BLOCK];
      // Deterministic name, like Go's archive/tar (GNU tar adds a pid, which is not reproducible).
      String base = entry.path().substring(entry.path().lastIndexOf('/') + 1);
      byte[] paxName = truncate(("PaxHeaders/" + base).getBytes(StandardCharsets.UTF_8));
      fill(
          header,
          paxName,
          '\0',
          0644,
          0,
          0,
          records.length,
          clampSeconds(mtime),
          new byte[0],
          0,
          0);
      header[UstarHeader.TYPEFLAG] = 'x';
      UstarHeader.putChecksum(header);
      out.write(header);
      out.write(records);
      pad(records.length);
    }

    byte[] header = new byte[UstarHeader.BLOCK];
    fill(
        header,
        truncate(nameBytes),
        entry.type().flag(),
        entry.mode(),
        Math.min(entry.uid(), MAX_OCTAL_8),
        Math.min(entry.gid(), MAX_OCTAL_8),
        Math.min(entry.size(), MAX_OCTAL_12),
        clampSeconds(mtime),
        truncate(linkBytes),
        entry.devMajor(),
        entry.devMinor());
    UstarHeader.putChecksum(header);
    out.write(header);

    if (out instanceof LayerOutput layer && entry.type() == EntryType.REGULAR) {
      layer.startFileData(entry.size()); // large files get pieces of their own
    }
    long copied = content.transferTo(new BoundedOutput(out, entry.size()));
    if (copied != entry.size()) {
      throw new IOException(
          "content of " + entry.path() + " is " + copied + " bytes, header says " + entry.size());
    }
    pad(entry.size());
  }

  /** Writes the two zero blocks that end an archive, without closing the stream. */
  public void finish() throws IOException {
    if (!finished) {
      out.write(new byte[UstarHeader.BLOCK * 2]);
      out.flush();
      finished = true;
    }
  }

  @Override
  public void close() throws IOException {
    finish();
    out.close();
  }

  private static void fill(
      byte[] h,
      byte[] name,
      char type,
      int mode,
      long uid,
      long gid,
      long size,
      long mtime,
      byte[] link,
      int major,
      int minor) {
    UstarHeader.putBytes(h, UstarHeader.NAME, UstarHeader.NAME_LEN, name);
    UstarHeader.putOctal(h, UstarHeader.MODE, 8, mode);
    UstarHeader.putOctal(h, UstarHeader.UID, 8, uid);
    UstarHeader.putOctal(h, UstarHeader.GID, 8, gid);
    UstarHeader.putOctal(h, UstarHeader.SIZE, 12, size);
    UstarHeader.putOctal(h, UstarHeader.MTIME, 12, mtime);
    h[UstarHeader.TYPEFLAG] = (byte) type;
    UstarHeader.putBytes(h, UstarHeader.LINKNAME, UstarHeader.NAME_LEN, link);
    UstarHeader.putBytes(
        h, UstarHeader.MAGIC, 8, "ustar\00000".getBytes(StandardCharsets.US_ASCII));
    UstarHeader.putOctal(h, UstarHeader.DEVMAJOR, 8, major);
    UstarHeader.putOctal(h, UstarHeader.DEVMINOR, 8, minor);
  }

  /** PAX time: seconds, then the nanoseconds with trailing zeros dropped. */
  static String paxTime(Instant t) {
    long seconds = t.getEpochSecond();
    int nanos = t.getNano();
    if (nanos == 0) {
      return Long.toString(seconds);
    }
    // A negative time with a fraction is written as -(|s| - 1).(1e9 - n) in decimal form.
    String sign = "";
    if (seconds < 0) {
      sign = "-";
      seconds = -(seconds + 1);
      nanos = 1_000_000_000 - nanos;
    }
    String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
    return sign + seconds + "." + fraction;
  }

  private static long clampSeconds(Instant t) {
    return Math.max(0, Math.min(t.getEpochSecond(), MAX_OCTAL_12));
  }

  private static byte[] truncate(byte[] bytes) {
    if (bytes.length <= UstarHeader.NAME_LEN) {
      return bytes;
    }
    byte[] out = new byte[UstarHeader.NAME_LEN];
    System.arraycopy(bytes, 0, out, 0, out.length);
    return out;
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private void pad(long written) throws IOException {
    int rest = (int) (written % UstarHeader.BLOCK);
    if (rest != 0) {
      out.write(new byte[UstarHeader.BLOCK - rest]);
    }
  }

  /** Refuses content beyond the size promised in the header. */
  private static final class BoundedOutput extends OutputStream {
    private final OutputStream out;
    private long remaining;

    BoundedOutput(OutputStream out, long limit) {
      this.out = out;
      this.remaining = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > remaining) {
        throw new IOException("content is longer than the size in its tar header");
      }
      out.write(b, off, len);
      remaining -= len;
    }
  }
}
