package dev.strata.bridge.tar;

import dev.strata.bridge.oci.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPOutputStream;

/**
 * A stream that takes an uncompressed layer tar and writes it gzipped to a sink, hashing both sides
 * as the bytes pass, so diffID and blob digest cost one pass. java.util.zip writes a header with
 * mtime 0, so equal tars give equal blobs on one JDK (zlib versions may differ across JDKs).
 */
public final class GzipLayerOutput extends OutputStream {
  private final MessageDigest uncompressed = Digest.newSha256();
  private final MessageDigest compressed = Digest.newSha256();
  private final Counting counted;
  private final GZIPOutputStream gzip;
  private LayerDigests result;

  /** Compresses onto {@code sink}; {@link #finish()} or {@link #close()} ends the gzip stream. */
  public GzipLayerOutput(OutputStream sink) throws IOException {
    this.counted = new Counting(sink, compressed);
    this.gzip = new GZIPOutputStream(counted, 64 * 1024);
  }

  @Override
  public void write(int b) throws IOException {
    uncompressed.update((byte) b);
    gzip.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    uncompressed.update(b, off, len);
    gzip.write(b, off, len);
  }

  /** Ends the gzip stream (the sink stays open) and returns the layer's digests. */
  public LayerDigests finish() throws IOException {
    if (result == null) {
      gzip.finish();
      counted.flush();
      result =
          new LayerDigests(
              Digest.fromHash(uncompressed.digest()),
              Digest.fromHash(compressed.digest()),
              counted.count);
    }
    return result;
  }

  /** The digests; only after {@link #finish()} or {@link #close()}. */
  public LayerDigests digests() {
    if (result == null) {
      throw new IllegalStateException("layer not finished");
    }
    return result;
  }

  @Override
  public void close() throws IOException {
    finish();
    counted.close();
  }

  private static final class Counting extends FilterOutputStream {
    private final MessageDigest digest;
    private long count;

    Counting(OutputStream out, MessageDigest digest) {
      super(out);
      this.digest = digest;
    }

    @Override
    public void write(int b) throws IOException {
      digest.update((byte) b);
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      digest.update(b, off, len);
      out.write(b, off, len);
      count += len;
    }
  }
}
