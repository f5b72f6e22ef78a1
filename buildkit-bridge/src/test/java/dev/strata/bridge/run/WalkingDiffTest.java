package dev.strata.bridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.tar.LayerDigests;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.TarEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking diff (a copy of the rootfs compared before and after the RUN, for hosts without
 * overlayfs) gives the layer the overlay path gives: same entries, same bytes, same digest with
 * SOURCE_DATE_EPOCH, including the changes only a ctime reveals.
 */
class WalkingDiffTest {
  static final LayerWriter CLAMPED =
      new LayerWriter(Optional.of(Instant.ofEpochSecond(1_700_000_000)));

  @TempDir static Path shared;
  static Path base;
  static RunExecutor overlay;
  static RunExecutor walking;

  @BeforeAll
  static void setUp() throws IOException {
    assumeTrue(Posix.isRoot(), "RUN needs root; CI runs as root");
    assumeTrue(BusyboxRootfs.available(), "needs busybox-static and libcap2-bin (setup script)");
    base = BusyboxRootfs.layer(shared.resolve("base"));
    // Whole seconds, so busybox's cp -p and touch -r (microseconds) can put the mtime back exactly.
    Posix.lutimes(base.resolve("etc/keep.conf"), 1_600_000_000L, 0);
    overlay =
        RunExecutor.open(
            shared.resolve("overlay"),
            shared.resolve("cache"),
            Optional.of("runc"),
            RunDiffMode.OVERLAY);
    walking =
        RunExecutor.open(
            shared.resolve("walk"), shared.resolve("cache"), Optional.of("runc"), RunDiffMode.WALK);
  }

  record Layer(LayerDigests digests, Map<String, TarEntry> entries) {}

  static Layer layer(RunExecutor executor, String script) throws IOException {
    CapturedOutput out = new CapturedOutput();
    RunRequest request =
        RunRequest.of(List.of(base), RunExecutorTest.sh(script), List.of()).withOutput(out);
    Path blob = Files.createTempFile(shared, "layer", ".tar.gz");
    try (RunResult result = executor.run(request);
        OutputStream sink = Files.newOutputStream(blob)) {
      assertThat(result.exitCode()).as(out.stderr()).isZero();
      Map<String, TarEntry> entries =
          result.layerEntries(CLAMPED).stream()
              .collect(
                  Collectors.toMap(
                      TarEntry::path,
                      Function.identity(),
                      (a, b) -> a,
                      java.util.LinkedHashMap::new));
      return new Layer(result.writeLayer(CLAMPED, sink), entries);
    }
  }

  /** Runs {@code script} both ways; asserts the same layer; returns the walking one's entries. */
  static Map<String, TarEntry> sameLayerBothWays(String script) throws IOException {
    Layer viaOverlay = layer(overlay, script);
    Layer viaWalk = layer(walking, script);
    assertThat(List.copyOf(viaWalk.entries().values()))
        .as("walking diff's entries vs the overlay upperdir's")
        .containsExactlyElementsOf(viaOverlay.entries().values());
    assertThat(viaWalk.digests()).isEqualTo(viaOverlay.digests());
    return viaWalk.entries();
  }

  @Test
  void everyKindOfChangeGivesTheOverlayPathsDigest() throws IOException {
    Map<String, TarEntry> layer =
        sameLayerBothWays(
            String.join(
                " && ",
                "mkdir -p /new/dir && echo x > /new/dir/f && ln /new/dir/f /new/hl && mkfifo /new/p",
                "ln -s ../etc/keep.conf /srv/link",
                "rm /etc/keep.conf && rm -rf /opt/del-me",
                "rm -rf /var/cache/old && echo now-a-file > /var/cache/old",
                "chmod 600 /etc/replace.conf",
                "echo more >> /srv/data",
                "cp /bin/busybox /srv/ping && setcap cap_net_raw+ep /srv/ping",
                "touch /srv/gone && rm /srv/gone"));
    assertThat(layer)
        .containsKeys(
            "new/hl", "new/p", "srv/link", "etc/.wh.keep.conf", "opt/.wh.del-me", "srv/ping")
        .doesNotContainKeys("srv/gone", "var/cache/old/a", "var/cache/.wh.old");
    assertThat(layer.get("var/cache/old").size()).isEqualTo("now-a-file\n".length());
  }

  @Test
  void directoryReplacedByAFileHidesItsChildrenWithoutWhiteouts() throws IOException {
    Map<String, TarEntry> layer =
        sameLayerBothWays("rm -rf /var/cache/old && echo f > /var/cache/old");
    assertThat(layer.keySet()).containsExactly("var", "var/cache", "var/cache/old");
  }

  @Test
  void directoryMadeAgainIsOpaque() throws IOException {
    Map<String, TarEntry> layer =
        sameLayerBothWays(
            "rm -rf /var/cache/old && mkdir /var/cache/old && echo n > /var/cache/old/new");
    assertThat(layer).containsKey("var/cache/old/.wh..wh..opq");
  }

  @Test
  void chmodWithoutContentChangeIsInTheLayer() throws IOException {
    Map<String, TarEntry> layer = sameLayerBothWays("chmod 644 /etc/keep.conf");
    assertThat(layer.keySet()).containsExactly("etc", "etc/keep.conf");
  }

  @Test
  void rewriteKeepingSizeAndMtimeIsInTheLayer() throws IOException {
    // Same length, mtime put back: only the ctime shows the change.
    Map<String, TarEntry> layer =
        sameLayerBothWays(
            "touch -r /etc/keep.conf /ref && echo keep=2 > /etc/keep.conf"
                + " && touch -r /ref /etc/keep.conf && rm /ref"
                + " && [ \"$(stat -c %y /etc/keep.conf)\" = '2020-09-13 12:26:40.000000000 +0000' ]");
    assertThat(layer).containsKey("etc/keep.conf");
    assertThat(layer.get("etc/keep.conf").size()).isEqualTo("keep=1\n".length());
  }

  @Test
  void fileCreatedInAFreshDirectoryAndDeletedLeavesOnlyTheDirectory() throws IOException {
    Map<String, TarEntry> layer =
        sameLayerBothWays("mkdir /fresh && touch /fresh/x && rm /fresh/x");
    assertThat(layer.keySet()).containsExactly("fresh");
  }

  @Test
  void mountStubsNeverReachTheLayer() throws IOException {
    CapturedOutput out = new CapturedOutput();
    Path context = Files.createDirectories(shared.resolve("ctx"));
    Files.writeString(context.resolve("in.txt"), "in\n");
    RunRequest request =
        RunRequest.of(List.of(base), RunExecutorTest.sh("cp /mnt/ctx/in.txt /srv/in"), List.of())
            .withMounts(
                List.of(
                    new SandboxMount.Bind("/mnt/ctx", context, false),
                    new SandboxMount.Tmpfs("/scratch", 0)))
            .withOutput(out);
    try (RunResult result = walking.run(request)) {
      assertThat(result.exitCode()).as(out.stderr()).isZero();
      assertThat(result.layerEntries(CLAMPED).stream().map(TarEntry::path))
          .containsExactly("srv", "srv/in");
    }
  }

  @Test
  void autoUsesOverlayWhereTheKernelMountsIt() throws IOException {
    RunExecutor auto =
        RunExecutor.open(
            shared.resolve("auto"), shared.resolve("cache"), Optional.of("runc"), RunDiffMode.AUTO);
    assertThat(auto.diffMode()).isEqualTo(RunDiffMode.OVERLAY);
    assertThat(auto.notice()).isEmpty();
  }

  /** An upperdir on overlayfs is refused by the kernel: the fallback's real-world trigger. */
  @Test
  void autoFallsBackToTheWalkingDiffWhereOverlayIsRefused() throws Exception {
    Path dir = Files.createDirectories(shared.resolve("overlay-host"));
    for (String d : List.of("l", "u", "w", "m")) {
      Files.createDirectories(dir.resolve(d));
    }
    BuildahOracleTest.exec(
        List.of(
            "mount",
            "-t",
            "overlay",
            "overlay",
            "-o",
            "lowerdir="
                + dir.resolve("l")
                + ",upperdir="
                + dir.resolve("u")
                + ",workdir="
                + dir.resolve("w"),
            dir.resolve("m").toString()));
    try {
      Path workRoot = dir.resolve("m").resolve("work");
      RunExecutor auto =
          RunExecutor.open(
              workRoot, shared.resolve("cache"), Optional.of("runc"), RunDiffMode.AUTO);
      assertThat(auto.diffMode()).isEqualTo(RunDiffMode.WALK);
      assertThat(auto.notice())
          .hasValueSatisfying(n -> assertThat(n).contains("overlayfs is not available"));
      CapturedOutput out = new CapturedOutput();
      try (RunResult result =
          auto.run(
              RunRequest.of(List.of(base), RunExecutorTest.sh("rm /etc/keep.conf"), List.of())
                  .withOutput(out))) {
        assertThat(result.exitCode()).as(out.stderr()).isZero();
        assertThat(result.layerEntries(CLAMPED).stream().map(TarEntry::path))
            .containsExactly("etc", "etc/.wh.keep.conf");
      }
    } finally {
      RunJanitor.unmountBelow(dir);
    }
  }
}
