package dev.strata.bridge.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerExtractorSafetyTest {
  static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

  @TempDir Path tmp;

  Path layer(TarEntry... entries) throws IOException {
    Path blob = tmp.resolve("evil.tar");
    try (OutputStream out = Files.newOutputStream(blob);
        TarWriter tar = new TarWriter(out)) {
      for (TarEntry e : entries) {
        byte[] content = new byte[(int) e.size()];
        java.util.Arrays.fill(content, (byte) 'x');
        tar.write(e, new java.io.ByteArrayInputStream(content));
      }
    }
    return blob;
  }

  LayerExtractor extractor() {
    return new LayerExtractor(WhiteoutMode.APPLY, false);
  }

  @Test
  void refusesWritingThroughASymlinkPlantedByTheLayer() throws IOException {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Path blob =
        layer(
            TarEntry.symlink("etc", outside.toString(), 0, 0, T),
            TarEntry.file("etc/passwd", 0644, 0, 0, T, 4));

    assertThatThrownBy(() -> extractor().extract(blob, tmp.resolve("target")))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessageContaining("'etc/passwd' would be written through the symlink 'etc'");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void refusesWritingThroughARelativeSymlinkThatClimbsOut() throws IOException {
    Path blob =
        layer(
            TarEntry.symlink("up", "../..", 0, 0, T),
            TarEntry.file("up/escaped", 0644, 0, 0, T, 1));

    assertThatThrownBy(() -> extractor().extract(blob, tmp.resolve("target")))
        .isInstanceOf(UnsafeEntryException.class);
    assertThat(tmp.getParent().resolve("escaped")).doesNotExist();
  }

  @Test
  void refusesHardlinksThroughASymlink() throws IOException {
    Path outside = Files.writeString(tmp.resolve("secret"), "secret");
    Path blob =
        layer(
            TarEntry.symlink("host", tmp.toString(), 0, 0, T),
            new TarEntry(
                "stolen",
                EntryType.HARDLINK,
                0644,
                0,
                0,
                T,
                0,
                "host/secret",
                0,
                0,
                new TreeMap<>()));

    assertThatThrownBy(() -> extractor().extract(blob, tmp.resolve("target")))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessageContaining("symlink 'host'");
    assertThat(outside).hasContent("secret");
  }

  @Test
  void refusesWhiteoutsThroughASymlink() throws IOException {
    Path victim = Files.writeString(tmp.resolve("victim"), "keep me");
    Path blob =
        layer(
            TarEntry.symlink("host", tmp.toString(), 0, 0, T),
            TarEntry.file("host/.wh.victim", 0644, 0, 0, T, 0));

    assertThatThrownBy(() -> extractor().extract(blob, tmp.resolve("target")))
        .isInstanceOf(UnsafeEntryException.class);
    assertThat(victim).hasContent("keep me");
  }

  @Test
  void symlinksAreNeverFollowedWhenAFileReplacesThem() throws IOException {
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "untouched");
    Path blob =
        layer(
            TarEntry.symlink("f", outside.toString(), 0, 0, T),
            TarEntry.file("f", 0644, 0, 0, T, 3));
    Path target = tmp.resolve("target");

    extractor().extract(blob, target);

    assertThat(outside).hasContent("untouched");
    assertThat(target.resolve("f")).isRegularFile().hasContent("xxx");
  }

  @Test
  void refusesAnAbsoluteArchiveEntryBeforeWritingIt() throws Exception {
    Path f = Files.writeString(tmp.resolve("abs"), "x");
    Path blob = tmp.resolve("abs.tar");
    TarFormatTest.run("tar", "-P", "-cf", blob.toString(), f.toString());
    Path target = tmp.resolve("target");

    assertThatThrownBy(() -> extractor().extract(blob, target))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessageContaining("absolute path");
    assertThat(target).isEmptyDirectory();
  }

  @Test
  void extractsAPlainGnuTarArchiveToo() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/a"));
    Files.writeString(src.resolve("b"), "bee");
    Path blob = tmp.resolve("plain.tar");
    TarFormatTest.run("tar", "-C", tmp.resolve("src").toString(), "-cf", blob.toString(), ".");
    Path target = tmp.resolve("target");

    extractor().extract(blob, target);

    try (InputStream in = Files.newInputStream(target.resolve("a/b"))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bee");
    }
  }
}
