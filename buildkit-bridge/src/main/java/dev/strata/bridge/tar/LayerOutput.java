package dev.strata.bridge.tar;

import dev.strata.bridge.oci.Digest;
import dev.strata.graph.project.LayerCompression;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>The data of a regular file of at least {@link #filePiecesFrom()} bytes (the tar writer
 * announces it, {@link #startFileData}) is cut differently: it starts a new chunk with no
 * dictionary, is cut into pieces of the chunk size counted from the file's first byte (each later
 * piece after the piece before it, as chunks are), and its last piece ends at the file's last byte.
 * So a piece's compressed bytes depend only on the file's content, not on where the file sits in
 * the tar, and a {@link PieceMemo} can hand back the bytes an earlier layer stored for the same
 * piece instead of compressing it again. The output is byte for byte the same with or without a
 * memo.
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

  /** The identity of each format's compressor, computed once a JVM ({@link #fingerprint()}). */
  private static final ConcurrentHashMap<Class<?>, byte[]> FINGERPRINTS = new ConcurrentHashMap<>();

  private final OutputStream sink;
  private final int chunkSize;
  private final PieceMemo memo;
  private final ExecutorService pool;
  private final long inFlightBytes;
  private final MessageDigest uncompressed = Digest.newSha256();
  private final MessageDigest compressed = Digest.newSha256();
  private final Deque<Submitted> pending = new ArrayDeque<>();
  private final List<PieceMemo.Placement> placements = new ArrayList<>();
  private byte[] chunk;
  private int filled;
  private byte[] previous;
  private long total;
  private long written;
  private long fileRemaining;
  private long pendingBytes;
  private LayerDigests result;

  /**
   * One compressed chunk or piece; a piece compressed with a memo at hand also carries its memo key
   * and the SHA-256 of its compressed bytes, and {@code source} is the blob it came from on a hit.
   */
  private record Compressed(byte[] bytes, byte[] key, byte[] hash, Digest source) {}

  /** A chunk or piece of {@code length} uncompressed bytes on the pool. */
  private record Submitted(Future<Compressed> result, int length) {}

  /**
   * A layer compressed as {@code compression} onto {@code sink}; {@link #finish()} or {@link
   * #close()} ends it.
   */
  public static LayerOutput open(LayerCompression compression, OutputStream sink)
      throws IOException {
    return open(compression, sink, Optional.empty());
  }

  /**
   * A layer compressed as {@code compression} onto {@code sink} that takes the pieces of large
   * files it finds in {@code memo} from there and records its own there when finished.
   */
  public static LayerOutput open(
      LayerCompression compression, OutputStream sink, Optional<PieceMemo> memo)
      throws IOException {
    PieceMemo pieces = memo.orElse(null);
    return switch (compression) {
      case GZIP -> new GzipLayerOutput(sink, POOL, THREADS, pieces);
      case ZSTD -> new ZstdLayerOutput(sink, POOL, THREADS, pieces);
    };
  }

  /**
   * Chunks compressed on {@code pool} ({@code threads} of them: tests compare thread counts), file
   * pieces looked up in {@code memo} when it is not null.
   */
  LayerOutput(OutputStream sink, int chunkSize, ExecutorService pool, int threads, PieceMemo memo) {
    this.sink = sink;
    this.chunkSize = chunkSize;
    this.memo = memo;
    this.pool = pool;
    this.inFlightBytes = 2L * threads * chunkSize;
    this.chunk = new byte[chunkSize];
  }

  /**
   * One chunk compressed, run on a pool thread: {@code input[0, length)}, after {@code previous}
   * (the whole chunk before it, null for the first; a format may use its tail as a dictionary);
   * {@code last} is the final chunk (possibly empty).
   */
  abstract byte[] compress(byte[] input, int length, byte[] previous, boolean last)
      throws IOException;

  /** The format and level, as the memo's keys name them ("gzip-4"). */
  abstract String pieceFormat();

  /** The size from which a regular file's data is cut into file-aligned pieces. */
  abstract long filePiecesFrom();

  /** How many bytes of the previous chunk's end {@link #compress} primes a chunk with. */
  abstract int dictionaryLength();

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
      boolean inFile = fileRemaining > 0;
      int room = chunkSize - filled;
      int n = (int) Math.min(len, inFile ? Math.min(room, fileRemaining) : room);
      System.arraycopy(b, off, chunk, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (inFile) {
        fileRemaining -= n;
        if (filled == chunkSize || fileRemaining == 0) {
          submit(false, true);
        }
      } else if (filled == chunkSize) {
        submit(false, false);
      }
    }
  }

  /**
   * Announces that the next {@code size} bytes written are the data of one regular file. From
   * {@link #filePiecesFrom()} bytes on they are cut into file-aligned pieces (see the class
   * comment); smaller files go into the ordinary chunks.
   */
  public void startFileData(long size) throws IOException {
    if (result != null) {
      throw new IOException("layer already finished");
    }
    if (fileRemaining > 0) {
      throw new IllegalStateException(fileRemaining + " bytes of the previous file are missing");
    }
    if (size < filePiecesFrom()) {
      return;
    }
    if (filled > 0) {
      submit(false, false);
    }
    previous = null; // the file's first piece has no dictionary
    fileRemaining = size;
  }

  /** Ends the compressed stream (the sink stays open) and returns the layer's digests. */
  public LayerDigests finish() throws IOException {
    if (result == null) {
      if (fileRemaining > 0) {
        throw new IOException("layer ended " + fileRemaining + " bytes before a file's end");
      }
      submit(true, false);
      drain(-1);
      emit(trailer(total));
      sink.flush();
      result =
          new LayerDigests(
              Digest.fromHash(uncompressed.digest()),
              Digest.fromHash(compressed.digest()),
              written);
      if (memo != null) {
        memo.record(result.digest(), placements);
      }
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
      for (Submitted s : pending) {
        s.result().cancel(true);
      }
      sink.close();
    }
  }

  /** Compresses what was gathered as a chunk, or as a file's piece, on the pool. */
  private void submit(boolean last, boolean piece) throws IOException {
    byte[] input;
    if (filled == chunkSize) {
      input = chunk; // handed to the pool whole; the next bytes go to a new array
      chunk = new byte[chunkSize];
    } else {
      input = Arrays.copyOf(chunk, filled); // a file's short piece: the chunk array is kept
    }
    byte[] before = previous;
    int length = filled;
    previous = input;
    Future<Compressed> result =
        piece && memo != null
            ? pool.submit(() -> piece(input, length, before))
            : pool.submit(
                () -> new Compressed(compress(input, length, before, last), null, null, null));
    pending.add(new Submitted(result, length));
    pendingBytes += length;
    filled = 0;
    drain(inFlightBytes);
  }

  /**
   * A file's piece: from the memo when a stored blob holds it, else compressed now and hashed for
   * the memo. Runs on the pool, like compressing.
   */
  private Compressed piece(byte[] input, int length, byte[] before) throws IOException {
    byte[] key = pieceKey(input, length, before);
    Optional<PieceMemo.Hit> hit = memo.find(key);
    if (hit.isPresent()) {
      return new Compressed(hit.get().bytes(), key, hit.get().hash(), hit.get().blob());
    }
    byte[] bytes = compress(input, length, before, false);
    MessageDigest hash = Digest.newSha256();
    hash.update(bytes);
    return new Compressed(bytes, key, hash.digest(), null);
  }

  /**
   * The memo key of a piece: SHA-256 over everything its compressed bytes depend on, the format and
   * level, the compressor's fingerprint, the dictionary it is primed with and its own bytes.
   */
  private byte[] pieceKey(byte[] input, int length, byte[] before) {
    MessageDigest key = Digest.newSha256();
    key.update(pieceFormat().getBytes(StandardCharsets.US_ASCII));
    key.update((byte) 0);
    key.update(fingerprint());
    int dictionary = before == null ? 0 : Math.min(dictionaryLength(), before.length);
    key.update(longBytes(dictionary));
    if (dictionary > 0) {
      key.update(before, before.length - dictionary, dictionary);
    }
    key.update(longBytes(length));
    key.update(input, 0, length);
    return key.digest();
  }

  /**
   * The hash of a fixed sample compressed by this format (with and without a dictionary): a
   * different zlib or libzstd, whose bytes for the same input may differ, gets a different
   * fingerprint, so its pieces never mix with ours in a memo.
   */
  private byte[] fingerprint() {
    return FINGERPRINTS.computeIfAbsent(
        getClass(),
        c -> {
          byte[] sample = sample();
          MessageDigest hash = Digest.newSha256();
          try {
            hash.update(compress(sample, sample.length, null, false));
            hash.update(compress(sample, sample.length / 2, sample, false));
          } catch (IOException e) {
            throw new IllegalStateException("the compressor failed on its own sample", e);
          }
          return hash.digest();
        });
  }

  /** 64 KiB of words in a fixed pseudo-random order: compressible, with long and short matches. */
  private static byte[] sample() {
    String[] words = {"layer", "tar", "usr/lib/", "0644", "postgresql", "\n", "\0\0\0", "strata "};
    StringBuilder text = new StringBuilder();
    long state = 42;
    while (text.length() < 64 * 1024) {
      state = state * 6364136223846793005L + 1442695040888963407L;
      text.append(words[(int) ((state >>> 33) % words.length)])
          .append((char) ('a' + (state >>> 59)));
    }
    return Arrays.copyOf(text.toString().getBytes(StandardCharsets.UTF_8), 64 * 1024);
  }

  private static byte[] longBytes(long value) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (value >>> (8 * i));
    }
    return b;
  }

  /**
   * Writes finished chunks, in order, until at most {@code maxBytes} uncompressed bytes remain on
   * the pool (all of them for -1). Bytes, not a count: the small pieces of many files just above
   * the piece size keep both cores busy where a count would leave them waiting on one large chunk.
   */
  private void drain(long maxBytes) throws IOException {
    while (!pending.isEmpty() && pendingBytes > maxBytes) {
      try {
        Submitted submitted = pending.removeFirst();
        pendingBytes -= submitted.length();
        Compressed done = submitted.result().get();
        if (done.key() != null) {
          placements.add(
              new PieceMemo.Placement(
                  done.key(), written, done.bytes().length, done.hash(), done.source()));
        }
        emit(done.bytes());
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
