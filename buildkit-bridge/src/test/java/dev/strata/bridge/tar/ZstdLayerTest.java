package dev.strata.bridge.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.luben.zstd.Zstd;
import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.Digest;
import dev.strata.graph.project.LayerCompression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * zstd layers: Strata's writer and the zstd CLI (an independent implementation of the format) read
 * each other's output; the bytes depend on nothing but the tar; damaged data is reported by name.
 */
class ZstdLayerTest {
  @TempDir Path tmp;

  /** A tar of 20 MiB, mixed text and noise: several zstd frames, some of them compressible. */
  private static byte[] sampleTar() {
    Random random = new Random(42);
    byte[] tar = new byte[20 << 20];
    for (int i = 0; i < tar.length; i += 4096) {
      if ((i / 4096) % 3 == 0) {
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, tar, i, Math.min(4096, tar.length - i));
      } else {
        Arrays.fill(tar, i, Math.min(i + 4096, tar.length), (byte) ('a' + (i / 4096) % 26));
      }
    }
    return tar;
  }

  private static byte[] compress(byte[] tar, ExecutorService pool, int threads, int writeSize)
      throws IOException {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    try (ZstdLayerOutput out = new ZstdLayerOutput(blob, pool, threads, null)) {
      for (int off = 0; off < tar.length; off += writeSize) {
        out.write(tar, off, Math.min(writeSize, tar.length - off));
      }
    }
    return blob.toByteArray();
  }

  private static byte[] run(List<String> command, byte[] stdin) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Thread feeder =
        new Thread(
            () -> {
              try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
              } catch (IOException e) {
                // the process exited early; its exit code tells
              }
            });
    feeder.start();
    byte[] out = p.getInputStream().readAllBytes();
    feeder.join();
    assertThat(p.waitFor()).as("exit code of %s", command).isZero();
    return out;
  }

  @Test
  void theBytesDoNotDependOnTheThreadCountOrTheWriteSizes() throws IOException {
    byte[] tar = sampleTar();
    ExecutorService one = Executors.newFixedThreadPool(1);
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      byte[] single = compress(tar, one, 1, 1 << 20);
      byte[] parallel = compress(tar, two, 2, 7777);
      byte[] again = compress(tar, two, 2, 3 << 20);

      assertThat(Digest.sha256(parallel)).isEqualTo(Digest.sha256(single));
      assertThat(Digest.sha256(again)).isEqualTo(Digest.sha256(single));
    } finally {
      one.shutdownNow();
      two.shutdownNow();
    }
  }

  @Test
  void theDigestsAreThoseOfTheBlobAndOfItsTarAndTheZstdCliReadsIt() throws Exception {
    byte[] tar = sampleTar();
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    LayerDigests digests;
    try (LayerOutput out = LayerOutput.open(LayerCompression.ZSTD, blob)) {
      out.write(tar);
      digests = out.finish();
    }

    byte[] bytes = blob.toByteArray();
    assertThat(digests.digest()).isEqualTo(Digest.sha256(bytes));
    assertThat(digests.size()).isEqualTo(bytes.length);
    assertThat(digests.diffId()).isEqualTo(Digest.sha256(tar));
    assertThat(bytes.length).isLessThan(tar.length / 2);
    byte[] byCli = run(List.of("zstd", "-d", "-c", "-q"), bytes);
    assertThat(Digest.sha256(byCli)).isEqualTo(Digest.sha256(tar));
  }

  @Test
  void everyFrameRecordsItsContentSize() throws IOException {
    byte[] tar = sampleTar();
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    try (LayerOutput out = LayerOutput.open(LayerCompression.ZSTD, blob)) {
      out.write(tar);
    }
    byte[] bytes = blob.toByteArray();

    long sum = 0;
    int frames = 0;
    for (int at = 0; at < bytes.length; frames++) {
      long content = Zstd.getFrameContentSize(bytes, at, bytes.length - at);
      assertThat(content).as("frame %d content size", frames).isPositive();
      sum += content;
      at += (int) Zstd.findFrameCompressedSize(bytes, at);
    }
    assertThat(sum).isEqualTo(tar.length);
    assertThat(frames).isEqualTo(3); // 8 MiB + 8 MiB + 4 MiB
  }

  @Test
  void aZstdLayerExtractsToTheSameTreeAsItsGzipTwin() throws IOException {
    assumeTrue(Posix.isRoot(), "layer round trips need root (mknod, lchown); CI runs as root");
    Path source = LayerRoundTripTest.upper(tmp.resolve("source"));
    Path gz = tmp.resolve("layer.tar.gz");
    Path zst = tmp.resolve("layer.tar.zst");
    LayerDigests gzip;
    LayerDigests zstd;
    try (OutputStream out = Files.newOutputStream(gz)) {
      gzip = new LayerWriter(Optional.empty(), LayerCompression.GZIP).writeLayer(source, out);
    }
    try (OutputStream out = Files.newOutputStream(zst)) {
      zstd = new LayerWriter(Optional.empty(), LayerCompression.ZSTD).writeLayer(source, out);
    }

    Path fromGzip = LayerRoundTripTest.lower(tmp.resolve("from-gzip"));
    Path fromZstd = LayerRoundTripTest.lower(tmp.resolve("from-zstd"));
    new LayerExtractor(WhiteoutMode.APPLY, true).extract(gz, fromGzip);
    new LayerExtractor(WhiteoutMode.APPLY, true).extract(zst, fromZstd);

    assertThat(zstd.diffId()).isEqualTo(gzip.diffId());
    assertThat(zstd.digest()).isNotEqualTo(gzip.digest());
    TreeMap<String, String> expected = TreeSnapshot.of(fromGzip);
    TreeMap<String, String> actual = TreeSnapshot.of(fromZstd);
    expected.remove("kept"); // written "now" by lower() in each tree
    actual.remove("kept");
    assertThat(actual).containsExactlyEntriesOf(expected);
  }

  @Test
  void aLayerTheZstdCliCompressedIsReadEntryForEntry() throws Exception {
    Path tree = Files.createDirectories(tmp.resolve("tree/etc"));
    Files.writeString(tree.resolve("motd"), "hello from the zstd CLI\n");
    Files.write(tree.resolve("blob"), sampleTar());
    byte[] tar =
        run(
            List.of("tar", "-C", tmp.resolve("tree").toString(), "--sort=name", "-cf", "-", "etc"),
            new byte[0]);
    byte[] zst = run(List.of("zstd", "-19", "-c", "-q"), tar);

    List<String> names = new java.util.ArrayList<>();
    byte[] motd = null;
    try (TarReader reader =
        new TarReader(
            LayerExtractor.uncompressed(new java.io.ByteArrayInputStream(zst), "layer cli"))) {
      for (TarEntry e = reader.next(); e != null; e = reader.next()) {
        names.add(e.path());
        byte[] content = reader.content().readAllBytes();
        if (e.path().equals("etc/motd")) {
          motd = content;
        }
        if (e.path().equals("etc/blob")) {
          assertThat(Digest.sha256(content)).isEqualTo(Digest.sha256(sampleTar()));
        }
      }
    }
    assertThat(names).containsExactly("etc", "etc/blob", "etc/motd");
    assertThat(new String(motd, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("hello from the zstd CLI\n");
  }

  @Test
  void aSkippableFrameBeforeTheDataIsRecognisedAndSkipped() throws IOException {
    byte[] tar = "not really a tar, but bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] frame = Zstd.compress(tar, 3);
    byte[] skippable = {0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'T', 'O', 'C'};
    byte[] blob = new byte[skippable.length + frame.length];
    System.arraycopy(skippable, 0, blob, 0, skippable.length);
    System.arraycopy(frame, 0, blob, skippable.length, frame.length);

    assertThat(CompressionFormat.of(blob)).isEqualTo(CompressionFormat.ZSTD);
    try (InputStream in =
        CompressionFormat.decompressed(new java.io.ByteArrayInputStream(blob), "layer x")) {
      assertThat(in.readAllBytes()).isEqualTo(tar);
    }
  }

  @Test
  void damagedZstdDataIsAnErrorNamingTheLayer() throws IOException {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    try (LayerOutput out = LayerOutput.open(LayerCompression.ZSTD, blob)) {
      out.write(sampleTar());
    }
    byte[] damaged = blob.toByteArray();
    for (int i = 100; i < 400; i++) {
      damaged[i] ^= 0x5a;
    }
    Path file = Files.write(tmp.resolve("damaged"), damaged);

    assertThatThrownBy(
            () -> {
              try (InputStream in =
                  LayerExtractor.uncompressed(Files.newInputStream(file), "layer " + file)) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("layer " + file + " is not valid zstd data")
        .hasMessageContaining("damaged or truncated");
  }

  @Test
  void aTruncatedZstdLayerIsAnErrorNotAShortTar() throws IOException {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    try (LayerOutput out = LayerOutput.open(LayerCompression.ZSTD, blob)) {
      out.write(sampleTar());
    }
    byte[] cut = Arrays.copyOf(blob.toByteArray(), blob.size() / 2);

    assertThatThrownBy(
            () -> {
              try (InputStream in =
                  LayerExtractor.uncompressed(
                      new java.io.ByteArrayInputStream(cut), "layer sha256:abc")) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("layer sha256:abc is not valid zstd data");
  }
}
