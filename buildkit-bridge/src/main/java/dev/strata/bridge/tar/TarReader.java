package dev.strata.bridge.tar;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads ustar, PAX and GNU archives (long names, base-256 numbers) into {@link TarEntry} values,
 * keeping {@code SCHILY.xattr.*} values as raw bytes. Names are normalized by {@link
 * EntryPaths#normalize}, so absolute and {@code ..} names are refused before anyone acts on them.
 */
public final class TarReader implements Closeable {
  private final InputStream in;
  private long remaining;
  private long padding;
  private boolean ended;

  /** A reader of the uncompressed archive {@code in}; {@link #close()} closes it. */
  public TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or {@code null} at the end; skips what was not read of the previous one. */
  public TarEntry next() throws IOException {
    skipRest();
    Map<String, byte[]> pax = new HashMap<>();
    byte[] gnuLongName = null;
    byte[] gnuLongLink = null;
    while (true) {
      byte[] header = readBlock();
      if (header == null) {
        return null;
      }
      if (isZero(header)) {
        ended = true;
        return null;
      }
      if (UstarHeader.number(header, UstarHeader.CHKSUM, 8) != UstarHeader.checksum(header)) {
        throw new IOException("corrupt tar header (checksum mismatch)");
      }
      char flag = (char) header[UstarHeader.TYPEFLAG];
      long size = UstarHeader.number(header, UstarHeader.SIZE, 12);
      switch (flag) {
        case 'x' -> pax.putAll(PaxHeaders.decode(readData(size)));
        case 'g' -> readData(size); // global records carry comments in practice; not per-file state
        case 'L' -> gnuLongName = trimNul(readData(size));
        case 'K' -> gnuLongLink = trimNul(readData(size));
        case 'S' -> throw new IOException("GNU sparse tar entries are not supported");
        case 'V' -> readData(size);
        default -> {
          return entry(header, flag, size, pax, gnuLongName, gnuLongLink);
        }
      }
    }
  }

  /** The content of the entry last returned by {@link #next()}. */
  public InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("archive ends inside an entry");
        }
        remaining -= n;
        return n;
      }
    };
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private TarEntry entry(
      byte[] h,
      char flag,
      long size,
      Map<String, byte[]> pax,
      byte[] gnuLongName,
      byte[] gnuLongLink)
      throws IOException {
    String rawName;
    if (pax.containsKey("path")) {
      rawName = utf8(pax.get("path"));
    } else if (gnuLongName != null) {
      rawName = utf8(gnuLongName);
    } else {
      rawName = utf8(UstarHeader.bytes(h, UstarHeader.NAME, UstarHeader.NAME_LEN));
      boolean posixUstar =
          new String(h, UstarHeader.MAGIC, 6, StandardCharsets.US_ASCII).equals("ustar\0");
      byte[] prefix = UstarHeader.bytes(h, UstarHeader.PREFIX, UstarHeader.PREFIX_LEN);
      if (posixUstar && prefix.length > 0) {
        rawName = utf8(prefix) + "/" + rawName;
      }
    }
    String rawLink;
    if (pax.containsKey("linkpath")) {
      rawLink = utf8(pax.get("linkpath"));
    } else if (gnuLongLink != null) {
      rawLink = utf8(gnuLongLink);
    } else {
      rawLink = utf8(UstarHeader.bytes(h, UstarHeader.LINKNAME, UstarHeader.NAME_LEN));
    }
    EntryType type = EntryType.ofFlag(flag);
    if (type == EntryType.REGULAR && rawName.endsWith("/")) {
      type = EntryType.DIRECTORY; // pre-POSIX archives mark directories by a trailing slash
    }
    if (pax.containsKey("size")) {
      size = Long.parseLong(utf8(pax.get("size")));
    }
    int uid = (int) UstarHeader.number(h, UstarHeader.UID, 8);
    int gid = (int) UstarHeader.number(h, UstarHeader.GID, 8);
    if (pax.containsKey("uid")) {
      uid = Integer.parseInt(utf8(pax.get("uid")));
    }
    if (pax.containsKey("gid")) {
      gid = Integer.parseInt(utf8(pax.get("gid")));
    }
    Instant mtime = Instant.ofEpochSecond(UstarHeader.number(h, UstarHeader.MTIME, 12));
    if (pax.containsKey("mtime")) {
      mtime = parsePaxTime(utf8(pax.get("mtime")));
    }
    TreeMap<String, byte[]> xattrs = new TreeMap<>();
    for (Map.Entry<String, byte[]> record : pax.entrySet()) {
      if (record.getKey().startsWith(PaxHeaders.XATTR_PREFIX)) {
        xattrs.put(record.getKey().substring(PaxHeaders.XATTR_PREFIX.length()), record.getValue());
      }
    }
    boolean device = type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE;
    int mode = (int) (UstarHeader.number(h, UstarHeader.MODE, 8) & 07777);
    String path = EntryPaths.normalize(rawName);
    String link = null;
    if (type == EntryType.HARDLINK) {
      link = EntryPaths.normalize(rawLink);
    } else if (type == EntryType.SYMLINK) {
      link = rawLink;
    }
    long contentSize = type == EntryType.REGULAR ? size : 0;
    remaining = size;
    padding = (UstarHeader.BLOCK - size % UstarHeader.BLOCK) % UstarHeader.BLOCK;
    return new TarEntry(
        path,
        type,
        mode,
        uid,
        gid,
        mtime,
        contentSize,
        link,
        device ? (int) UstarHeader.number(h, UstarHeader.DEVMAJOR, 8) : 0,
        device ? (int) UstarHeader.number(h, UstarHeader.DEVMINOR, 8) : 0,
        xattrs);
  }

  static Instant parsePaxTime(String text) {
    int dot = text.indexOf('.');
    if (dot < 0) {
      return Instant.ofEpochSecond(Long.parseLong(text));
    }
    boolean negative = text.startsWith("-");
    long seconds = Long.parseLong(text.substring(negative ? 1 : 0, dot));
    String fraction = (text.substring(dot + 1) + "000000000").substring(0, 9);
    long nanos = Long.parseLong(fraction);
    return negative
        ? Instant.ofEpochSecond(-seconds, -nanos)
        : Instant.ofEpochSecond(seconds, nanos);
  }

  private void skipRest() throws IOException {
    long toSkip = remaining + padding;
    remaining = 0;
    padding = 0;
    in.skipNBytes(toSkip);
  }

  private byte[] readData(long size) throws IOException {
    if (size > 64L * 1024 * 1024) {
      throw new IOException("tar metadata entry of " + size + " bytes is implausibly large");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length != size) {
      throw new EOFException("archive ends inside a header");
    }
    in.skipNBytes((UstarHeader.BLOCK - size % UstarHeader.BLOCK) % UstarHeader.BLOCK);
    return data;
  }

  private byte[] readBlock() throws IOException {
    if (ended) {
      return null;
    }
    byte[] block = in.readNBytes(UstarHeader.BLOCK);
    if (block.length == 0) {
      ended = true;
      return null; // tolerated: some writers omit the end-of-archive blocks
    }
    if (block.length != UstarHeader.BLOCK) {
      throw new EOFException("archive ends inside a header block");
    }
    return block;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] trimNul(byte[] data) {
    int end = data.length;
    while (end > 0 && data[end - 1] == 0) {
      end--;
    }
    byte[] out = new byte[end];
    System.arraycopy(data, 0, out, 0, end);
    return out;
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
