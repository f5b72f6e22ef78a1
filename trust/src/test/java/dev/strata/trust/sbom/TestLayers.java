package dev.strata.trust.sbom;

import dev.strata.bridge.tar.TarEntry;
import dev.strata.bridge.tar.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

/** Builds small layer tars in memory with the engine's own tar writer. */
final class TestLayers {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarWriter tar = new TarWriter(bytes);

  TestLayers file(String path, String content) throws IOException {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  TestLayers file(String path, byte[] data) throws IOException {
    tar.write(
        TarEntry.file(path, 0644, 0, 0, Instant.EPOCH, data.length),
        new ByteArrayInputStream(data));
    return this;
  }

  TestLayers symlink(String path, String target) throws IOException {
    tar.write(TarEntry.symlink(path, target, 0, 0, Instant.EPOCH));
    return this;
  }

  TestLayers whiteout(String path) throws IOException {
    int slash = path.lastIndexOf('/');
    return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), "");
  }

  ByteArrayInputStream plain() throws IOException {
    tar.finish();
    return new ByteArrayInputStream(bytes.toByteArray());
  }

  ByteArrayInputStream gzip() throws IOException {
    tar.finish();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      gz.write(bytes.toByteArray());
    }
    return new ByteArrayInputStream(compressed.toByteArray());
  }
}
