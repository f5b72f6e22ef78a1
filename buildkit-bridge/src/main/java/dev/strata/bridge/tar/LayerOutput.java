package dev.strata.bridge.tar;

import dev.strata.bridge.oci.Digest;
import dev.strata.graph.project.LayerCompression;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A stream that takes an uncompressed layer tar and writes it compressed to a sink, hashing both
 * sides as the bytes pass, so diffID and blob digest cost one pass.
 *
 * <p>Compressing is the slow part of turning a RUN's upperdir into a layer, so it runs on every
 * core: the tar is cut into chunks of a fixed size at fixed offsets, each chunk is compressed on
 * its own by the format ({@link #compress}), and the pieces are written in order between the
 * format's header and trailer. The bytes depend only on the tar and the format's level: chunk edges
 * do not move with the thread count or with how the bytes were written.
 */
public abstract sealed class LayerOutput extends OutputStream
    permits GzipLayerOutput, ZstdLayerOutput {
  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          THREADS,
          r -> {
            Thread t = new Thread(r, "layer-compress");
            t.setDaemon(true);
            return t;
          });

  private final OutputStream sink;
  private final int chunkSize;
  private final ExecutorService pool;
  private final int inFlight;
  private final MessageDigest uncompressed = Digest.newSha256();
  private final MessageDigest compressed = Digest.newSha256();
  private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
  private byte[] chunk;
  private int filled;
  private byte[] previous;
  private long total;
  private long written;
  private LayerDigests result;

  /**
   * A layer compressed as {@code compression} onto {@code sink}; {@link #finish()} or {@link
   * #close()} ends it.
   */
  public static LayerOutput open(LayerCompression compression, OutputStream sink)
      throws IOException {
    return switch (compression) {
      case GZIP -> new GzipLayerOutput(sink);
      case ZSTD -> new ZstdLayerOutput(sink);
    };
  }

  /** Chunks of {@code chunkSize} compressed on the shared pool, one per core. */
  LayerOutput(OutputStream sink, int chunkSize) {
    this(sink, chunkSize, POOL, THREADS);
  }

  /** Chunks compressed on {@code pool} ({@code threads} of them): tests compare thread counts. */
  LayerOutput(OutputStream sink, int chunkSize, ExecutorService pool, int threads) {
    this.sink = sink;
    this.chunkSize = chunkSize;
    this.pool = pool;
    this.inFlight = 2 * threads;
    this.chunk = new byte[chunkSize];
  }

  /**
   * One chunk compressed, run on a pool thread: {@code input[0, length)}, after {@code previous}
   * (the whole chunk before it, null for the first; a format may use its tail as a dictionary);
   * {@code last} is the final chunk (possibly empty).
   */
  abstract byte[] compress(byte[] input, int length, byte[] previous, boolean last)
      throws IOException;

  /** Sees the uncompressed bytes in order (gzip's CRC-32). */
  void observe(byte[] b, int off, int len) {}

  /** The bytes after the last chunk, once all {@code total} uncompressed bytes were seen. */
  byte[] trailer(long total) {
    return new byte[0];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (result != null) {
      throw new IOException("layer already finished");
    }
    uncompressed.update(b, off, len);
    observe(b, off, len);
    total += len;
    while (len > 0) {
      int n = Math.min(len, chunkSize - filled);
      System.arraycopy(b, off, chunk, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == chunkSize) {
        submit(false);
      }
    }
  }

  /** Ends the compressed stream (the sink stays open) and returns the layer's digests. */
  public LayerDigests finish() throws IOException {
    if (result == null) {
      submit(true);
      drain(0);
      emit(trailer(total));
      sink.flush();
      result =
          new LayerDigests(
              Digest.fromHash(uncompressed.digest()),
              Digest.fromHash(compressed.digest()),
              written);
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
    try {
      finish();
    } finally {
      for (Future<byte[]> f : pending) {
        f.cancel(true);
      }
      sink.close();
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] input = filled == chunkSize ? chunk : Arrays.copyOf(chunk, filled);
    byte[] before = previous;
    int length = filled;
    previous = input;
    pending.add(pool.submit(() -> compress(input, length, before, last)));
    chunk = new byte[chunkSize];
    filled = 0;
    drain(inFlight);
  }

  /** Writes finished chunks, in order, until at most {@code inFlight} remain. */
  private void drain(int inFlight) throws IOException {
    while (pending.size() > inFlight) {
      try {
        emit(pending.removeFirst().get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while compressing a layer", e);
      } catch (ExecutionException e) {
        throw new IOException("compressing a layer failed", e.getCause());
      }
    }
  }

  /** Writes bytes of the compressed stream (a header, a chunk, a trailer) and hashes them. */
  final void emit(byte[] bytes) throws IOException {
    compressed.update(bytes);
    sink.write(bytes);
    written += bytes.length;
  }
}
