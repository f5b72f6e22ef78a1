package dev.strata.bridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.tar.EntryType;
import dev.strata.bridge.tar.LayerExtractor;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.bridge.tar.TreeSnapshot;
import dev.strata.bridge.tar.WhiteoutMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layer a RUN's upperdir becomes: every kind of change, exactly. */
class RunLayerTest {
  @TempDir static Path shared;
  static Path base;
  static RunExecutor executor;

  @BeforeAll
  static void setUp() throws IOException {
    assumeTrue(Posix.isRoot(), "RUN needs root; CI runs as root");
    assumeTrue(BusyboxRootfs.available(), "needs busybox-static and libcap2-bin (setup script)");
    base = BusyboxRootfs.layer(shared.resolve("base"));
    executor =
        RunExecutor.open(shared.resolve("work"), shared.resolve("cache"), Optional.of("runc"));
  }

  /** The layer's entries by path, after running {@code script} as root in {@code /}. */
  static Map<String, TarEntry> layer(String script) throws IOException {
    CapturedOutput out = new CapturedOutput();
    RunRequest req =
        RunRequest.of(List.of(base), RunExecutorTest.sh(script), List.of()).withOutput(out);
    try (RunResult r = executor.run(req)) {
      assertThat(r.exitCode()).as(out.stderr()).isZero();
      Map<String, TarEntry> byPath = new LinkedHashMap<>();
      for (TarEntry e : r.layerEntries(new LayerWriter(Optional.empty()))) {
        byPath.put(e.path(), e);
      }
      return byPath;
    }
  }

  @Test
  void treeMovedOutOfTheUpperdirIsWhatExtractingTheLayerGives() throws IOException {
    String script =
        String.join(
            " && ",
            "rm /etc/keep.conf",
            "rm -rf /opt/del-me",
            "rm -rf /var/cache/old && mkdir /var/cache/old && echo n > /var/cache/old/new",
            "mkdir -p /new/dir && touch /new/empty",
            "echo x > /srv/a && ln /srv/a /srv/b && ln -s a /srv/link && mkfifo /srv/fifo",
            "chmod 4755 /srv/a && chown 12:34 /srv/a",
            "echo more >> /srv/data && chmod 600 /srv/data",
            "cp /bin/busybox /srv/ping && /usr/sbin/setcap cap_net_raw+ep /srv/ping",
            "touch /srv/gone && rm /srv/gone");
    CapturedOutput out = new CapturedOutput();
    RunRequest req =
        RunRequest.of(List.of(base), RunExecutorTest.sh(script), List.of()).withOutput(out);
    Path dir = java.nio.file.Files.createTempDirectory(shared, "moved-");
    Path blob = dir.resolve("layer.tar.gz");
    Path moved = dir.resolve("moved");
    try (RunResult r = executor.run(req);
        java.io.OutputStream sink = java.nio.file.Files.newOutputStream(blob)) {
      assertThat(r.exitCode()).as(out.stderr()).isZero();
      r.writeLayerAndExtract(
          new LayerWriter(Optional.of(java.time.Instant.ofEpochSecond(1_700_000_000))),
          sink,
          moved);
    }
    Path extracted = dir.resolve("extracted");
    new LayerExtractor(WhiteoutMode.OVERLAY, true).extract(blob, extracted);

    assertThat(TreeSnapshot.of(moved)).isEqualTo(TreeSnapshot.of(extracted));
    assertThat(TreeSnapshot.of(moved))
        .containsKeys("etc/keep.conf", "var/cache/old/new", "srv/b", "srv/ping")
        .doesNotContainKey("srv/gone");
  }

  @Test
  void deletedFileBecomesAWhiteoutAndItsParentIsKept() throws IOException {
    Map<String, TarEntry> layer = layer("rm /etc/keep.conf");
    assertThat(layer.keySet()).containsExactly("etc", "etc/.wh.keep.conf");
    TarEntry wh = layer.get("etc/.wh.keep.conf");
    assertThat(wh.type()).isEqualTo(EntryType.REGULAR);
    assertThat(wh.size()).isZero();
    assertThat(wh.mode()).isZero();
  }

  @Test
  void deletedDirectoryBecomesOneWhiteout() throws IOException {
    assertThat(layer("rm -rf /opt/del-me").keySet()).containsExactly("opt", "opt/.wh.del-me");
  }

  @Test
  void fileCreatedAndDeletedInTheSameRunLeavesNothing() throws IOException {
    assertThat(layer("touch /srv/tmp-file && rm /srv/tmp-file").keySet()).containsExactly("srv");
  }

  @Test
  void replacedDirectoryIsOpaque() throws IOException {
    Map<String, TarEntry> layer =
        layer("rm -rf /var/cache/old && mkdir /var/cache/old && echo n > /var/cache/old/new");
    assertThat(layer.keySet())
        .containsExactly(
            "var", "var/cache", "var/cache/old", "var/cache/old/.wh..wh..opq", "var/cache/old/new");
    assertThat(layer.get("var/cache/old").xattrs()).isEmpty();
  }

  @Test
  void newDirectoryHasNoOpaqueMarker() throws IOException {
    assertThat(layer("mkdir -p /new/dir").keySet()).containsExactly("new", "new/dir");
  }

  @Test
  void hardlinksWithinTheLayerAreLinkEntries() throws IOException {
    Map<String, TarEntry> layer = layer("echo x > /srv/a && ln /srv/a /srv/b");
    assertThat(layer.get("srv/a").type()).isEqualTo(EntryType.REGULAR);
    assertThat(layer.get("srv/b").type()).isEqualTo(EntryType.HARDLINK);
    assertThat(layer.get("srv/b").linkTarget()).isEqualTo("srv/a");
  }

  @Test
  void symlinksChmodChownAndSetuidAreExact() throws IOException {
    Map<String, TarEntry> layer =
        layer(
            "ln -s ../etc/keep.conf /srv/link && echo s > /srv/suid && chown 1000:100 /srv/suid"
                + " && chmod 4750 /srv/suid && chmod 1777 /srv");
    assertThat(layer.get("srv/link").type()).isEqualTo(EntryType.SYMLINK);
    assertThat(layer.get("srv/link").linkTarget()).isEqualTo("../etc/keep.conf");
    TarEntry suid = layer.get("srv/suid");
    assertThat(suid.mode()).isEqualTo(04750);
    assertThat(suid.uid()).isEqualTo(1000);
    assertThat(suid.gid()).isEqualTo(100);
    assertThat(layer.get("srv").mode()).isEqualTo(01777);
  }

  @Test
  void fileCapabilitiesAreKeptAndOverlayXattrsAreNot() throws IOException {
    Map<String, TarEntry> layer =
        layer(
            "cp /bin/busybox /srv/ping && setcap cap_net_raw+ep /srv/ping && echo y >> /srv/data");
    TarEntry ping = layer.get("srv/ping");
    assertThat(ping.xattrs()).containsOnlyKeys("security.capability");
    assertThat(HexFormat.of().formatHex(ping.xattrs().get("security.capability")))
        .isEqualTo("0100000200200000000000000000000000000000");
    for (TarEntry e : layer.values()) {
      assertThat(e.xattrs().keySet()).noneMatch(k -> k.startsWith("trusted.overlay."));
    }
  }

  @Test
  void copiedUpAliasOfALowerHardlinkIsAPlainFile() throws IOException {
    Map<String, TarEntry> layer = layer("echo more >> /srv/data");
    assertThat(layer.get("srv/data").type()).isEqualTo(EntryType.REGULAR);
    assertThat(layer).doesNotContainKey("srv/data-link");
  }

  @Test
  void passwdEditIsAModifiedFile() throws IOException {
    Map<String, TarEntry> layer =
        layer(
            "echo 'app:x:1000:1000::/home/app:/bin/sh' >> /etc/passwd && mkdir /home/app"
                + " && chown 1000:1000 /home/app");
    assertThat(layer.keySet()).containsExactly("etc", "etc/passwd", "home", "home/app");
    assertThat(layer.get("home/app").uid()).isEqualTo(1000);
  }
}
