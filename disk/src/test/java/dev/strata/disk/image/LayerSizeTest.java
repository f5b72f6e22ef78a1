package dev.strata.disk.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.tar.LayerOutput;
import dev.strata.graph.project.LayerCompression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer's uncompressed size from its blob's gzip trailer or zstd frame headers, and when they
 * cannot tell.
 */
class LayerSizeTest {
  @TempDir Path tmp;

  private static Descriptor layer(String mediaType) {
    return new Descriptor(mediaType, Digest.parse("sha256:" + "0".repeat(64)), 1, null, Map.of());
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private Path blob(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(tmp, "blob", ""), bytes);
  }

  @Test
  void aGzipLayerIsAsLargeAsItsTrailerSays() throws IOException {
    byte[] tar = new byte[5 << 20];
    new Random(7).nextBytes(tar); // incompressible: the gzip is larger than the tar
    assertThat(LayerSize.of(layer(MediaTypes.LAYER_GZIP), blob(gzip(tar)))).hasValue(tar.length);
    byte[] zeros = new byte[3 << 20];
    assertThat(LayerSize.of(layer(MediaTypes.LAYER_GZIP), blob(gzip(zeros))))
        .hasValue(zeros.length);
  }

  @Test
  void aPlainTarLayerIsItsOwnSize() throws IOException {
    Path tar = blob(new byte[10240]);
    assertThat(LayerSize.of(layer(MediaTypes.LAYER_TAR), tar)).hasValue(10240);
  }

  @Test
  void aLayerOfSeveralGzipMembersIsUnknown() throws IOException {
    byte[] first = new byte[2 << 20];
    new Random(1).nextBytes(first);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(gzip(first));
    both.write(gzip(new byte[10])); // the trailer now counts only the last 10 bytes
    assertThat(LayerSize.of(layer(MediaTypes.LAYER_GZIP), blob(both.toByteArray()))).isEmpty();
  }

  @Test
  void aZstdLayerIsTheSumOfItsFramesContentSizes() throws IOException {
    byte[] tar = new byte[20 << 20];
    new Random(3).nextBytes(tar);
    Arrays.fill(tar, 0, 5 << 20, (byte) 'x'); // one frame compressible, some not
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    try (LayerOutput out = LayerOutput.open(LayerCompression.ZSTD, blob)) {
      out.write(tar);
    }
    assertThat(LayerSize.of(layer(MediaTypes.LAYER_ZSTD), blob(blob.toByteArray())))
        .hasValue(tar.length);
  }

  @Test
  void aSkippableFrameAddsNothing() throws IOException {
    byte[] data = new byte[300_000];
    new Random(5).nextBytes(data);
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    blob.write(Zstd.compress(data, 3));
    blob.write(new byte[] {0x5e, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4});
    assertThat(LayerSize.of(layer(MediaTypes.LAYER_ZSTD), blob(blob.toByteArray())))
        .hasValue(data.length);
  }

  @Test
  void aStreamedZstdWithoutContentSizesIsUnknown() throws Exception {
    byte[] data = new byte[1 << 20];
    new Random(9).nextBytes(data);
    // the zstd CLI reading a pipe does not know the size up front and records none
    Process zstd = new ProcessBuilder("zstd", "-q", "-c").start();
    Thread feeder =
        new Thread(
            () -> {
              try (OutputStream in = zstd.getOutputStream()) {
                in.write(data);
              } catch (IOException e) {
                // the exit code tells
              }
            });
    feeder.start();
    byte[] streamed = zstd.getInputStream().readAllBytes();
    feeder.join();
    assertThat(zstd.waitFor()).isZero();

    assertThat(LayerSize.of(layer(MediaTypes.LAYER_ZSTD), blob(streamed))).isEmpty();
  }

  @Test
  void aTruncatedZstdLayerIsUnknown() throws IOException {
    byte[] data = new byte[1 << 20];
    new Random(2).nextBytes(data);
    byte[] frame = Zstd.compress(data, 3);
    assertThat(
            LayerSize.of(
                layer(MediaTypes.LAYER_ZSTD), blob(Arrays.copyOf(frame, frame.length / 2))))
        .isEmpty();
  }
}
