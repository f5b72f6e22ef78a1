package dev.strata.bridge.tar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Digest;
import dev.strata.graph.project.LayerCompression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The compressed-piece memo: a large file already compressed into a stored blob is copied from it,
 * and the layer's bytes are the same whether a piece came from the memo or was compressed now, as
 * they are with no memo at all. Anything wrong with the memo is a miss, never a wrong byte.
 */
class PieceMemoTest {
  private static final int MIB = 1 << 20;
  private static final Instant MTIME = Instant.ofEpochSecond(1_700_000_000);

  /**
   * A big file of 3.5 MiB (4 gzip pieces, 1 zstd frame) and one of 300 KiB (1 gzip piece; zstd
   * frames start at 1 MiB files).
   */
  private static final int BIG = 3 * MIB + MIB / 2;

  private static final int MEDIUM = 300 << 10;

  @TempDir Path tmp;
  private Path blobs;
  private PieceMemo memo;

  @BeforeEach
  void setUp() throws IOException {
    blobs = Files.createDirectories(tmp.resolve("blobs"));
    memo = new PieceMemo(tmp.resolve("pieces"), d -> blobs.resolve(d.hex()));
  }

  /** Text-like content that compresses, different for each seed. */
  private static byte[] content(int size, long seed) {
    Random random = new Random(seed);
    byte[] out = new byte[size];
    String[] words = {"postgres ", "lib", "\n", "share/", "0123", "locale ", "x86_64 "};
    int at = 0;
    while (at < size) {
      byte[] w =
          (random.nextInt(5) == 0
                  ? Integer.toString(random.nextInt())
                  : words[random.nextInt(words.length)])
              .getBytes();
      int n = Math.min(w.length, size - at);
      System.arraycopy(w, 0, out, at, n);
      at += n;
    }
    return out;
  }

  /**
   * A tree with small files around a big and a medium file; {@code big} is the big file's bytes.
   */
  private Path tree(String name, byte[] big) throws IOException {
    Path root = Files.createDirectories(tmp.resolve(name));
    Files.createDirectories(root.resolve("usr/lib/postgresql"));
    write(root.resolve("etc-a.conf"), content(5000, 1));
    write(root.resolve("usr/lib/postgresql/postgres"), big);
    write(root.resolve("usr/lib/postgresql/small"), content(40 << 10, 2)); // below the size
    write(root.resolve("usr/lib/postgresql/medium"), content(MEDIUM, 3));
    write(root.resolve("usr/lib/zz"), content(7000, 4));
    Files.setLastModifiedTime(root.resolve("usr/lib/postgresql"), FileTime.from(MTIME));
    Files.setLastModifiedTime(root.resolve("usr/lib"), FileTime.from(MTIME));
    Files.setLastModifiedTime(root.resolve("usr"), FileTime.from(MTIME));
    return root;
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, FileTime.from(MTIME));
  }

  /** Writes the tree as a layer into the blob folder (as a store would keep it); its digests. */
  private LayerDigests store(Path root, LayerCompression compression, Optional<PieceMemo> pieces)
      throws IOException {
    Path blob = tmp.resolve("incoming");
    LayerDigests digests;
    try (OutputStream out = Files.newOutputStream(blob)) {
      digests = new LayerWriter(Optional.empty(), compression, pieces).writeLayer(root, out);
    }
    Files.move(
        blob,
        blobs.resolve(digests.digest().hex()),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return digests;
  }

  private byte[] blob(LayerDigests digests) throws IOException {
    return Files.readAllBytes(blobs.resolve(digests.digest().hex()));
  }

  private static int pieces(LayerCompression compression) {
    return compression == LayerCompression.GZIP ? 4 + 1 : 1;
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> files = Files.walk(tmp.resolve("pieces"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @ParameterizedTest
  @EnumSource(LayerCompression.class)
  void aTreeWrittenTwiceTakesEveryLargePieceFromTheMemoTheSecondTime(LayerCompression compression)
      throws IOException {
    Path root = tree("tree", content(BIG, 9));

    LayerDigests first = store(root, compression, Optional.of(memo));
    assertThat(memo.hits()).isZero();
    assertThat(memo.misses()).isEqualTo(pieces(compression));
    assertThat(entries()).hasSize(pieces(compression));
    byte[] firstBytes = blob(first);

    LayerDigests second = store(root, compression, Optional.of(memo));
    assertThat(memo.hits()).as("pieces copied from the first blob").isEqualTo(pieces(compression));
    assertThat(memo.misses()).isEqualTo(pieces(compression));
    assertThat(second).isEqualTo(first);
    assertThat(blob(second)).isEqualTo(firstBytes);

    LayerDigests without = store(root, compression, Optional.empty());
    assertThat(without).as("the same layer written with no memo").isEqualTo(first);
  }

  @Test
  void aFileMovedElsewhereInTheTarStillHitsEveryPiece() throws IOException {
    byte[] big = content(BIG, 9);
    store(tree("tree", big), LayerCompression.GZIP, Optional.of(memo));
    Path moved = tree("moved", big);
    write(moved.resolve("usr/lib/postgresql/a-new-file-before"), content(12345, 77));
    long before = memo.hits();

    LayerDigests digests = store(moved, LayerCompression.GZIP, Optional.of(memo));

    assertThat(memo.hits() - before).isEqualTo(pieces(LayerCompression.GZIP));
    assertThat(digests).isEqualTo(store(moved, LayerCompression.GZIP, Optional.empty()));
  }

  /**
   * Stores a tree with a file of {@code size} bytes through the memo, then returns the same tree
   * with the file's byte at {@code at} changed (not stored yet).
   */
  private Path storedThenChanged(int size, LayerCompression compression, int at)
      throws IOException {
    byte[] big = content(size, 9);
    store(tree("tree", big), compression, Optional.of(memo));
    byte[] changed = big.clone();
    changed[at] ^= 1;
    return tree("changed", changed);
  }

  @Test
  void aByteChangedInTheMiddleOfAPieceMissesOnlyThatPiece() throws IOException {
    // the middle of the third piece, far from its 32 KiB tail
    Path root = storedThenChanged(BIG, LayerCompression.GZIP, 2 * MIB + MIB / 2);
    long hits = memo.hits();
    long misses = memo.misses();

    LayerDigests digests = store(root, LayerCompression.GZIP, Optional.of(memo));

    assertThat(memo.misses() - misses).isEqualTo(1);
    assertThat(memo.hits() - hits).isEqualTo(pieces(LayerCompression.GZIP) - 1);
    assertThat(digests).isEqualTo(store(root, LayerCompression.GZIP, Optional.empty()));
  }

  @Test
  void aByteChangedInAPiecesLast32KibAlsoMissesTheNextPieceItPrimes() throws IOException {
    // the third piece's tail is the fourth piece's dictionary
    Path root = storedThenChanged(BIG, LayerCompression.GZIP, 3 * MIB - 100);
    long misses = memo.misses();

    LayerDigests digests = store(root, LayerCompression.GZIP, Optional.of(memo));

    assertThat(memo.misses() - misses).isEqualTo(2);
    assertThat(digests).isEqualTo(store(root, LayerCompression.GZIP, Optional.empty()));
  }

  @Test
  void zstdFramesOfAChangedFileMissOnlyWhereTheChangeIs() throws IOException {
    // frames of 8 + 8 + 4 MiB
    Path root = storedThenChanged(20 * MIB, LayerCompression.ZSTD, 12 * MIB);
    long hits = memo.hits();
    long misses = memo.misses();

    LayerDigests digests = store(root, LayerCompression.ZSTD, Optional.of(memo));

    assertThat(memo.misses() - misses).isEqualTo(1);
    assertThat(memo.hits() - hits).isEqualTo(2); // frames 1 and 3
    assertThat(digests).isEqualTo(store(root, LayerCompression.ZSTD, Optional.empty()));
  }

  @Test
  void anEntryWithTheWrongHashIsAMissAndIsReplaced() throws IOException {
    Path root = tree("tree", content(BIG, 9));
    LayerDigests first = store(root, LayerCompression.GZIP, Optional.of(memo));
    for (Path entry : entries()) {
      String[] fields = Files.readString(entry).trim().split(" ");
      char flipped = fields[3].charAt(0) == '0' ? '1' : '0';
      Files.writeString(
          entry,
          fields[0] + " " + fields[1] + " " + fields[2] + " " + flipped + fields[3].substring(1));
    }

    LayerDigests again = store(root, LayerCompression.GZIP, Optional.of(memo));

    assertThat(memo.hits()).isZero();
    assertThat(again).isEqualTo(first);
    long misses = memo.misses();
    store(root, LayerCompression.GZIP, Optional.of(memo));
    assertThat(memo.hits())
        .as("entries written anew by the layer that missed")
        .isEqualTo(pieces(LayerCompression.GZIP));
    assertThat(memo.misses()).isEqualTo(misses);
  }

  @Test
  void aGarbledEntryIsAMissAndIsReplaced() throws IOException {
    Path root = tree("tree", content(BIG, 9));
    LayerDigests first = store(root, LayerCompression.GZIP, Optional.of(memo));
    List<Path> entries = entries();
    Files.writeString(entries.get(0), "not an entry");
    String[] fields = Files.readString(entries.get(1)).trim().split(" ");
    Files.writeString(entries.get(1), fields[0] + " 0 2000000000 " + fields[3]); // past the end
    String[] other = Files.readString(entries.get(2)).trim().split(" ");
    Files.writeString(
        entries.get(2), "sha256:../../x " + other[1] + " " + other[2] + " " + other[3]);

    LayerDigests again = store(root, LayerCompression.GZIP, Optional.of(memo));

    assertThat(memo.hits()).isEqualTo(pieces(LayerCompression.GZIP) - 3);
    assertThat(again).isEqualTo(first);
    assertThat(entries()).hasSize(pieces(LayerCompression.GZIP)); // written anew
  }

  @Test
  void anEntryPointingAtBytesThatChangedInTheBlobIsAMiss() throws IOException {
    Path root = tree("tree", content(BIG, 9));
    LayerDigests first = store(root, LayerCompression.GZIP, Optional.of(memo));
    Path blob = blobs.resolve(first.digest().hex());
    byte[] bytes = Files.readAllBytes(blob);
    for (int i = 100; i < bytes.length - 100; i += 4096) {
      bytes[i] ^= 0x5a; // same length, different bytes everywhere
    }
    Files.write(blob, bytes);

    LayerDigests again = store(root, LayerCompression.GZIP, Optional.of(memo));

    assertThat(memo.hits()).isZero();
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aTruncatedBlobServesOnlyThePiecesStillInIt() throws IOException {
    Path root = tree("tree", content(BIG, 9));
    LayerDigests first = store(root, LayerCompression.GZIP, Optional.of(memo));
    Path blob = blobs.resolve(first.digest().hex());
    byte[] bytes = Files.readAllBytes(blob);
    Files.delete(blob);
    Path other = blobs.resolve("0".repeat(64));
    // keep the blob under its name but cut it in the middle of the big file's data
    try (FileChannel channel =
        FileChannel.open(other, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(bytes, 0, bytes.length / 2));
    }
    Files.move(other, blob);

    LayerDigests again = store(root, LayerCompression.GZIP, Optional.of(memo));

    assertThat(memo.hits()).isPositive().isLessThan(pieces(LayerCompression.GZIP));
    assertThat(memo.misses()).isGreaterThan(pieces(LayerCompression.GZIP));
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aMissingBlobIsAMissAndPruneDropsItsEntries() throws IOException {
    Path root = tree("tree", content(BIG, 9));
    LayerDigests first = store(root, LayerCompression.GZIP, Optional.of(memo));
    Files.delete(blobs.resolve(first.digest().hex()));
    assertThat(memo.prune()).isEqualTo(pieces(LayerCompression.GZIP));
    assertThat(entries()).isEmpty();

    LayerDigests again = store(root, LayerCompression.GZIP, Optional.of(memo));
    assertThat(memo.hits()).isZero();
    assertThat(again).isEqualTo(first);

    // entries of a blob deleted after they were written are misses too, and are removed
    Files.delete(blobs.resolve(again.digest().hex()));
    PieceMemo fresh = new PieceMemo(tmp.resolve("pieces"), d -> blobs.resolve(d.hex()));
    store(root, LayerCompression.GZIP, Optional.of(fresh));
    assertThat(fresh.hits()).isZero();
    assertThat(fresh.misses()).isEqualTo(pieces(LayerCompression.GZIP));
  }

  @Test
  void pruneKeepsEntriesWhoseBlobIsStored() throws IOException {
    store(tree("tree", content(BIG, 9)), LayerCompression.ZSTD, Optional.of(memo));
    assertThat(memo.prune()).isZero();
    assertThat(entries()).hasSize(pieces(LayerCompression.ZSTD));
  }

  @ParameterizedTest
  @EnumSource(LayerCompression.class)
  void aLayerWithMemoPiecesPassesTheFormatsOwnTestAndDecompressesToItsTar(
      LayerCompression compression) throws Exception {
    Path root = tree("tree", content(BIG, 9));
    store(root, compression, Optional.of(memo));
    LayerDigests second = store(root, compression, Optional.of(memo));
    assertThat(memo.hits()).isEqualTo(pieces(compression));
    Path blob = blobs.resolve(second.digest().hex());

    String tool = compression == LayerCompression.GZIP ? "gzip" : "zstd";
    Process test =
        new ProcessBuilder(tool, "-t", blob.toString()).redirectErrorStream(true).start();
    String output = new String(test.getInputStream().readAllBytes());
    assertThat(test.waitFor()).as(tool + " -t: " + output).isZero();

    Process cat = new ProcessBuilder(tool, "-d", "-c", blob.toString()).start();
    byte[] tar;
    try (InputStream in = cat.getInputStream()) {
      tar = in.readAllBytes();
    }
    assertThat(cat.waitFor()).isZero();
    assertThat(Digest.sha256(tar)).isEqualTo(second.diffId());

    List<String> paths = new ArrayList<>();
    try (TarReader reader =
        new TarReader(CompressionFormat.decompressed(Files.newInputStream(blob), "layer"))) {
      for (TarEntry e = reader.next(); e != null; e = reader.next()) {
        paths.add(e.path() + ":" + e.size());
      }
    }
    assertThat(paths)
        .contains("usr/lib/postgresql/postgres:" + BIG, "usr/lib/postgresql/medium:" + MEDIUM);
  }
}
