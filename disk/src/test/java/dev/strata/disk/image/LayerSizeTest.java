package dev.strata.disk.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A layer's uncompressed size from its blob's gzip trailer, and when the trailer cannot tell. */
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
  void aZstdLayerIsUnknown() throws IOException {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
    assertThat(LayerSize.of(layer("application/vnd.oci.image.layer.v1.tar+zstd"), blob(zstd)))
        .isEmpty();
  }
}
