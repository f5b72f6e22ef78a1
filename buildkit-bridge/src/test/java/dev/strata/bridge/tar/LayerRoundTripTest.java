package dev.strata.bridge.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Must-show 2 of issue 4: a tree with every kind of file survives write, then extract. */
class LayerRoundTripTest {
  static final Instant T = Instant.parse("2024-03-01T10:00:00.123456789Z");

  @TempDir Path tmp;

  @BeforeEach
  void needsRoot() {
    assumeTrue(
        Posix.isRoot(),
        "layer round trips need root (mknod, lchown, security.* xattrs); CI runs as root");
  }

  /** The layer's tree: every file type, setuid, caps, hardlinks, dangling link, whiteouts. */
  static Path upper(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path sudo = Files.writeString(bin.resolve("sudo"), "#!suid");
    Posix.lchown(sudo, 0, 0);
    Files.setAttribute(sudo, "unix:mode", 04755);
    Path ping = Files.writeString(bin.resolve("ping"), "ping");
    Posix.lsetxattr(ping, "security.capability", TarFormatTest.CAPABILITY);
    Path grp = Files.writeString(bin.resolve("wall"), "wall");
    Posix.lchown(grp, 0, 5);
    Files.setAttribute(grp, "unix:mode", 02755);
    Path tmpDir = Files.createDirectory(dir.resolve("tmp"));
    Files.setAttribute(tmpDir, "unix:mode", 01777);
    Path data = Files.writeString(dir.resolve("data"), "same inode");
    Posix.lchown(data, 1000, 1001);
    Files.createLink(dir.resolve("data-link"), data);
    Files.createSymbolicLink(dir.resolve("dangling"), Path.of("/nowhere/at/all"));
    Files.createSymbolicLink(dir.resolve("relative"), Path.of("bin/sudo"));
    Path dev = Files.createDirectory(dir.resolve("dev"));
    Posix.mknod(dev.resolve("null"), Posix.S_IFCHR | 0666, 1, 3);
    Posix.mknod(dev.resolve("loop9"), Posix.S_IFBLK | 0660, 7, 9);
    Posix.mknod(dev.resolve("fifo"), Posix.S_IFIFO | 0600, 0, 0);
    Posix.chmod(dev.resolve("null"), 0666); // mknod applies the umask
    Posix.chmod(dev.resolve("loop9"), 0660);
    Path home = Files.createDirectory(dir.resolve("home"));
    Posix.lchown(home, 1000, 1000);
    Files.setAttribute(home, "unix:mode", 0700);
    Posix.lsetxattr(home, "user.note", new byte[] {0, 1, (byte) 0xff});
    Files.createFile(dir.resolve(".wh.gone"));
    Path opq = Files.createDirectory(dir.resolve("opq"));
    Files.createFile(opq.resolve(".wh..wh..opq"));
    Files.writeString(opq.resolve("new"), "new");
    // Every mtime with nanoseconds, symlinks included; directories last.
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Posix.lutimes(p, T.getEpochSecond(), T.getNano());
      }
    }
    return dir;
  }

  /** What lies below the layer: a file it whites out and an opaque dir's old content. */
  static Path lower(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("opq/old-dir"));
    Files.writeString(dir.resolve("opq/old"), "old");
    Files.writeString(dir.resolve("opq/old-dir/x"), "old");
    Files.writeString(dir.resolve("gone"), "deleted by the layer");
    Files.writeString(dir.resolve("kept"), "kept");
    return dir;
  }

  Path writeLayer(Path tree, String name) throws IOException {
    Path blob = tmp.resolve(name + ".tar.gz");
    try (OutputStream out = Files.newOutputStream(blob)) {
      new LayerWriter(Optional.empty()).writeLayer(tree, out);
    }
    return blob;
  }

  @Test
  void everyAttributeSurvivesWriteThenExtract() throws IOException {
    Path source = upper(tmp.resolve("source"));
    Path target = lower(tmp.resolve("target"));
    Path blob = writeLayer(source, "layer");

    new LayerExtractor(WhiteoutMode.APPLY, true).extract(blob, target);

    TreeMap<String, String> expected = TreeSnapshot.of(source);
    expected.remove(".wh.gone");
    expected.remove("opq/.wh..wh..opq");
    expected.put("kept", TreeSnapshot.of(lower(tmp.resolve("again"))).get("kept"));
    TreeMap<String, String> actual = TreeSnapshot.of(target);
    actual.put("kept", expected.get("kept")); // its mtime is "now" in both trees
    assertThat(actual).containsExactlyEntriesOf(expected);
    assertThat(actual.get("bin/sudo")).startsWith("0104755 0:0");
    assertThat(actual.get("bin/wall")).startsWith("0102755 0:5");
    assertThat(actual.get("tmp")).startsWith("0041777");
    assertThat(actual.get("bin/ping")).contains("security.capability=0100000280000000");
    assertThat(actual.get("data-link")).contains("inode=data");
    assertThat(actual.get("dev/null")).contains("dev=1,3");
    assertThat(actual.get("dangling")).contains("-> /nowhere/at/all");
    assertThat(actual.get("dangling")).contains(T.toString());
  }

  @Test
  void whiteoutsDeleteAndOpaqueDirsHideOnlyLowerContent() throws IOException {
    Path target = lower(tmp.resolve("target"));

    new LayerExtractor(WhiteoutMode.APPLY, true)
        .extract(writeLayer(upper(tmp.resolve("source")), "layer"), target);

    assertThat(target.resolve("gone")).doesNotExist();
    assertThat(target.resolve(".wh.gone")).doesNotExist();
    assertThat(target.resolve("kept")).hasContent("kept");
    assertThat(target.resolve("opq")).isDirectoryContaining(p -> p.endsWith("new"));
    assertThat(target.resolve("opq/old")).doesNotExist();
    assertThat(target.resolve("opq/old-dir")).doesNotExist();
  }

  @Test
  void overlayModeTurnsWhiteoutsIntoOverlayMarkers() throws IOException {
    Path target = tmp.resolve("diff");

    new LayerExtractor(WhiteoutMode.OVERLAY, true)
        .extract(writeLayer(upper(tmp.resolve("source")), "layer"), target);

    Map<String, Object> gone =
        Files.readAttributes(target.resolve("gone"), "unix:*", LinkOption.NOFOLLOW_LINKS);
    assertThat((Integer) gone.get("mode") & 0170000).isEqualTo(Posix.S_IFCHR);
    assertThat((Long) gone.get("rdev")).isZero();
    assertThat(Posix.lgetxattr(target.resolve("opq"), "trusted.overlay.opaque"))
        .isEqualTo(new byte[] {'y'});
    assertThat(target.resolve("opq/.wh..wh..opq")).doesNotExist();
  }

  @Test
  void extractedTreeWritesBackToTheSameDiffId() throws IOException {
    Path source = upper(tmp.resolve("source"));
    Files.delete(source.resolve(".wh.gone"));
    Files.delete(source.resolve("opq/.wh..wh..opq"));
    Posix.lutimes(source.resolve("opq"), T.getEpochSecond(), T.getNano());
    Posix.lutimes(source, T.getEpochSecond(), T.getNano());
    Path target = tmp.resolve("target");

    LayerDigests first = digests(source);
    new LayerExtractor(WhiteoutMode.APPLY, true).extract(writeLayer(source, "first"), target);
    LayerDigests second = digests(target);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void gnuTarListsModesOwnersLinksAndXattrs() throws Exception {
    Path blob = writeLayer(upper(tmp.resolve("source")), "layer");

    String listing =
        TarFormatTest.run(
            "tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-tvvzf", blob.toString());

    assertThat(listing)
        .contains("-rwsr-xr-x  0/0", "bin/sudo")
        .contains("-rwxr-sr-x  0/5", "bin/wall")
        .contains("drwxrwxrwt  0/0", "tmp/")
        .contains("x: 20 security.capability")
        .contains("data-link link to data")
        .contains("dangling -> /nowhere/at/all")
        .contains("crw-rw-rw-  0/0             1,3", "brw-rw----  0/0             7,9")
        .contains("prw-------", "dev/fifo")
        .contains("drwx------* 1000/1000", "home/")
        .doesNotContain("./");
  }

  @Test
  void gzipDigestsAreThoseOfTheBlobAndOfItsTar() throws IOException {
    Path source = upper(tmp.resolve("source"));
    Path blob = tmp.resolve("layer.tar.gz");
    LayerDigests digests;
    try (OutputStream out = Files.newOutputStream(blob)) {
      digests = new LayerWriter(Optional.empty()).writeLayer(source, out);
    }

    byte[] tar;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
      tar = in.readAllBytes();
    }
    assertThat(digests.digest()).isEqualTo(Digest.sha256(Files.readAllBytes(blob)));
    assertThat(digests.size()).isEqualTo(Files.size(blob));
    assertThat(digests.diffId()).isEqualTo(Digest.sha256(tar));
  }

  @Test
  void sourceDateEpochClampsMtimesSoNewerTreesDigestTheSame() throws IOException {
    Instant epoch = Instant.parse("2020-01-01T00:00:00Z");
    Path a = upper(tmp.resolve("a"));
    Path b = upper(tmp.resolve("b"));
    Posix.lutimes(b.resolve("data"), T.getEpochSecond() + 99, 5);
    LayerWriter clamped = new LayerWriter(Optional.of(epoch));

    assertThat(clamped.entries(a)).allSatisfy(e -> assertThat(e.mtime()).isEqualTo(epoch));
    assertThat(digests(a, clamped)).isEqualTo(digests(b, clamped));
    assertThat(digests(a)).isNotEqualTo(digests(b));
  }

  static LayerDigests digests(Path tree) throws IOException {
    return digests(tree, new LayerWriter(Optional.empty()));
  }

  static LayerDigests digests(Path tree, LayerWriter writer) throws IOException {
    return writer.writeLayer(tree, OutputStream.nullOutputStream());
  }
}
