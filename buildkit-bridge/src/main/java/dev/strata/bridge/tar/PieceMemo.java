package dev.strata.bridge.tar;

import dev.strata.bridge.fs.AtomicFile;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.store.OciLayoutStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where the compressed bytes of large files' pieces ({@link LayerOutput}) already sit in stored
 * layer blobs, so a layer that holds the same file again copies them instead of compressing again.
 *
 * <p>One file per piece, named by the piece's key (a SHA-256 over the format, the compressor's
 * fingerprint, the dictionary and the piece's bytes) and holding the blob's digest, the range's
 * offset and length, and the SHA-256 of that range. An entry is only a hint: a hit reads the range
 * from the blob and checks its length and hash, and anything missing, short or different is a miss
 * whose entry is removed. Entries are written by rename, so concurrent builds on one store read
 * either the old entry or the new one; at worst a build drops an entry another has just written,
 * which costs that piece's compression once more, never a wrong byte.
 */
public final class PieceMemo {
  private static final HexFormat HEX = HexFormat.of();

  private final Path directory;
  private final Function<Digest, Path> blobs;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** A memo kept in {@code directory} about blobs found by {@code blobs}. */
  public PieceMemo(Path directory, Function<Digest, Path> blobs) {
    this.directory = directory;
    this.blobs = blobs;
  }

  /** The memo of the store: {@code cache/pieces} about the store's own blobs. */
  public static PieceMemo of(OciLayoutStore store) {
    return new PieceMemo(store.root().resolve("cache").resolve("pieces"), store::blobPath);
  }

  /** A piece found in a stored blob: its compressed bytes, their SHA-256, and the blob. */
  record Hit(byte[] bytes, byte[] hash, Digest blob) {}

  /**
   * Where a layer put one piece: {@code offset} and {@code length} in the blob, the SHA-256 of that
   * range, and the blob it was copied from ({@code null} when compressed now).
   */
  record Placement(byte[] key, long offset, int length, byte[] hash, Digest source) {}

  /** How many pieces were taken from stored blobs since this memo was made. */
  public long hits() {
    return hits.get();
  }

  /** How many pieces were looked up and not found (or found damaged) since this memo was made. */
  public long misses() {
    return misses.get();
  }

  /** The compressed piece with {@code key}, when an entry names a stored blob that still has it. */
  Optional<Hit> find(byte[] key) {
    Path entry = entry(key);
    String text;
    try {
      text = Files.readString(entry, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      misses.incrementAndGet();
      return Optional.empty();
    } catch (IOException e) {
      return miss(entry);
    }
    String[] fields = text.trim().split(" ");
    Digest blob;
    long offset;
    int length;
    byte[] hash;
    try {
      if (fields.length != 4) {
        return miss(entry);
      }
      blob = Digest.parse(fields[0]);
      offset = Long.parseLong(fields[1]);
      length = Integer.parseInt(fields[2]);
      hash = HEX.parseHex(fields[3]);
    } catch (IllegalArgumentException e) {
      return miss(entry);
    }
    if (offset < 0 || length < 0 || hash.length != 32) {
      return miss(entry);
    }
    byte[] bytes;
    try (FileChannel channel = FileChannel.open(blobs.apply(blob), StandardOpenOption.READ)) {
      if (offset + length > channel.size()) {
        return miss(entry); // the blob is shorter than the entry says
      }
      bytes = new byte[length];
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      long at = offset;
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, at);
        if (n < 0) {
          return miss(entry); // the blob shrank while it was read
        }
        at += n;
      }
    } catch (IOException e) {
      return miss(entry); // the blob is gone or unreadable
    }
    MessageDigest sha = Digest.newSha256();
    sha.update(bytes);
    if (!MessageDigest.isEqual(sha.digest(), hash)) {
      return miss(entry);
    }
    hits.incrementAndGet();
    return Optional.of(new Hit(bytes, hash, blob));
  }

  /**
   * Records where the finished blob {@code blob} holds each placed piece. Pieces copied from that
   * same blob are already recorded. A memo is a cache: an entry that cannot be written is left out
   * (the piece is compressed again next time), the layer does not fail for it.
   */
  void record(Digest blob, List<Placement> placements) {
    for (Placement p : placements) {
      if (blob.equals(p.source())) {
        continue;
      }
      String text = blob + " " + p.offset() + " " + p.length() + " " + HEX.formatHex(p.hash());
      try {
        AtomicFile.write(entry(p.key()), text.getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // left out, see above
      }
    }
  }

  /**
   * Removes every entry whose blob is no longer stored (after {@code strata store gc} removed it),
   * and unreadable entries; returns how many. Call it while no build uses the store.
   */
  public int prune() throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith(".incoming-")) {
          Files.deleteIfExists(file); // left by a killed build: gc runs while no build does
        } else if (!stillStored(file)) {
          Files.deleteIfExists(file);
          removed++;
        }
      }
    }
    return removed;
  }

  private boolean stillStored(Path entry) {
    try {
      String[] fields = Files.readString(entry, StandardCharsets.US_ASCII).trim().split(" ");
      return fields.length == 4 && Files.exists(blobs.apply(Digest.parse(fields[0])));
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private Optional<Hit> miss(Path entry) {
    misses.incrementAndGet();
    try {
      Files.deleteIfExists(entry);
    } catch (IOException e) {
      // an entry that cannot be removed is checked, and missed, again next time
    }
    return Optional.empty();
  }

  private Path entry(byte[] key) {
    String hex = HEX.formatHex(key);
    return directory.resolve(hex.substring(0, 2)).resolve(hex);
  }
}
