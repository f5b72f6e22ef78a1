package dev.strata.bridge.tar;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * How a tar stream (a layer blob, an ADD archive, an imported rootfs) is compressed, told by its
 * first bytes as containers-storage and BuildKit tell it: gzip, zstd (a frame, or a skippable frame
 * such as zstd:chunked's), or none. Damaged compressed data is reported with the stream's name.
 */
public enum CompressionFormat {
  PLAIN,
  GZIP,
  ZSTD;

  private static final int BUFFER = 1 << 16;

  /** The format whose magic number {@code head} starts with; {@link #PLAIN} for any other. */
  public static CompressionFormat of(byte[] head) {
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (head.length >= 4) {
      int magic =
          (head[0] & 0xff)
              | (head[1] & 0xff) << 8
              | (head[2] & 0xff) << 16
              | (head[3] & 0xff) << 24;
      // a zstd frame, or a skippable frame (magic 0x184D2A50 to 0x184D2A5F)
      if (magic == 0xFD2FB528 || (magic & 0xFFFFFFF0) == 0x184D2A50) {
        return ZSTD;
      }
    }
    return PLAIN;
  }

  /**
   * The uncompressed bytes of {@code stream}, whatever its format ({@code name} says which stream
   * in errors: "layer sha256:…", "archive app.tar.zst"). Closing the result closes {@code stream}.
   */
  public static InputStream decompressed(InputStream stream, String name) throws IOException {
    InputStream raw = new BufferedInputStream(stream, BUFFER);
    raw.mark(4);
    byte[] head = raw.readNBytes(4);
    raw.reset();
    CompressionFormat format = of(head);
    try {
      return format.open(raw, name);
    } catch (IOException e) {
      raw.close();
      throw format.damaged(name, e);
    }
  }

  private InputStream open(InputStream raw, String name) throws IOException {
    return switch (this) {
      case PLAIN -> raw;
      case GZIP -> new Reported(new GZIPInputStream(raw, BUFFER), this, name);
      case ZSTD -> new Reported(new ZstdInputStreamNoFinalizer(raw), this, name);
    };
  }

  private IOException damaged(String name, IOException cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new IOException(
        name
            + " is not valid "
            + name().toLowerCase(java.util.Locale.ROOT)
            + " data ("
            + why
            + "): the blob is damaged or truncated; pull or build it again",
        cause);
  }

  /** A decompressing stream whose read errors name the stream and its format. */
  private static final class Reported extends FilterInputStream {
    private final CompressionFormat format;
    private final String name;

    Reported(InputStream in, CompressionFormat format, String name) {
      super(in);
      this.format = format;
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw format.damaged(name, e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw format.damaged(name, e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        throw format.damaged(name, e);
      }
    }
  }
}
