package dev.strata.bridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.bridge.build.RunStep;
import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.rootfs.LayerStack;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.dsl.instructions.CacheSharing;
import dev.strata.dsl.instructions.RunMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code RUN --mount=type=cache,from=…,source=…} as BuildKit defines it: {@code from}'s files are
 * the base of a new cache instance, {@code source} is the path the RUN sees, writes stay in the
 * instance (never in {@code from}'s layers or the RUN's layer), and the instance is keyed by id and
 * seed.
 */
class CacheFromTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  private static final Digest SEED_ID = Digest.sha256("seed".getBytes(StandardCharsets.UTF_8));

  /** A layer with /deps/sub/a.txt, /deps/t.txt and /link → /etc, /etc/inside.txt. */
  private static Path seedLayer(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("deps/sub"));
    Files.writeString(dir.resolve("deps/sub/a.txt"), "seeded\n");
    Files.writeString(dir.resolve("deps/t.txt"), "top\n");
    Files.createDirectories(dir.resolve("etc"));
    Files.writeString(dir.resolve("etc/inside.txt"), "the seed's etc\n");
    Files.createSymbolicLink(dir.resolve("link"), Path.of("/etc"));
    return dir;
  }

  private static RunStep.MountSources seedNamed(String name, LayerStack rootfs) {
    return from -> {
      if (!from.equals(name)) {
        throw new IllegalArgumentException("no stage " + from);
      }
      return rootfs;
    };
  }

  private static SandboxMount.Cache resolveOne(String spec, RunStep.MountSources stages, String wd)
      throws IOException {
    List<SandboxMount> mounts =
        RunMounts.resolve(
            List.of(RunMount.parse(spec, s -> s)), Path.of("/"), stages, BuildSecrets.NONE, wd);
    return (SandboxMount.Cache) mounts.get(0);
  }

  @Test
  void idDefaultsToTheTargetAsWrittenNotMadeAbsolute() throws IOException {
    SandboxMount.Cache c =
        resolveOne("type=cache,target=node_modules/", BuildahOracleTest.NO_STAGES, "/app");
    assertThat(c.id()).isEqualTo("node_modules");
    assertThat(c.target()).isEqualTo("/app/node_modules");
    assertThat(c.seed()).isEqualTo(CacheSeed.EMPTY);
    assertThat(c.source()).isEqualTo("/");
  }

  @Test
  void fromSeedsWithTheStagesLayersAndSourceIsThePathInside() throws IOException {
    Path layer = tmp.resolve("l");
    LayerStack rootfs = new LayerStack(List.of(layer), List.of(SEED_ID));
    SandboxMount.Cache c =
        resolveOne(
            "type=cache,from=seed,source=deps/sub/,target=/c", seedNamed("seed", rootfs), "/");
    assertThat(c.id()).isEqualTo("/c");
    assertThat(c.seed().layers()).containsExactly(layer);
    assertThat(c.seed().key()).isEqualTo("from " + SEED_ID);
    assertThat(c.source()).isEqualTo("/deps/sub");
  }

  @Test
  void modeUidGidWithoutSourceMountAFolderCacheMadeWithThem() throws IOException {
    SandboxMount.Cache c =
        resolveOne(
            "type=cache,target=/c,mode=0700,uid=1000,gid=1001", BuildahOracleTest.NO_STAGES, "/");
    assertThat(c.source()).isEqualTo("/cache");
    assertThat(c.seed().folder()).contains(new CacheSeed.Folder("/cache", 0700, 1000, 1001));
    assertThat(c.seed().key()).isEqualTo("mkdir /cache 700 1000:1001");
  }

  @Test
  void modeUidGidWithASourceAreNotApplied() throws IOException {
    LayerStack rootfs = new LayerStack(List.of(tmp.resolve("l")), List.of(SEED_ID));
    SandboxMount.Cache c =
        resolveOne(
            "type=cache,from=seed,source=/deps,target=/c,uid=1000", seedNamed("seed", rootfs), "/");
    assertThat(c.source()).isEqualTo("/deps");
    assertThat(c.seed().folder()).isEmpty();
  }

  @Test
  void aSeedFromAStageWithNoLayersIsTheEmptyCache() throws IOException {
    SandboxMount.Cache c =
        resolveOne("type=cache,from=empty,target=/c", seedNamed("empty", LayerStack.empty()), "/");
    assertThat(c.seed()).isEqualTo(CacheSeed.EMPTY);
  }

  // ---- in the sandbox (root, every runtime) ----

  static Path base;

  static RunMountTest.Run run(String runtime, String script, SandboxMount mount)
      throws IOException {
    requireSandbox();
    CapturedOutput out = new CapturedOutput();
    RunRequest req =
        RunRequest.of(List.of(base), RunExecutorTest.sh(script), List.of())
            .withMounts(List.of(mount))
            .withOutput(out);
    try (RunResult r = RunExecutorTest.executorIn(shared, runtime).run(req)) {
      LayerWriter writer = new LayerWriter(Optional.empty());
      List<String> paths = r.layerEntries(writer).stream().map(TarEntry::path).toList();
      return new RunMountTest.Run(r.exitCode(), out.stdout(), out.stderr(), paths, new byte[0]);
    }
  }

  private static SandboxMount.Cache seeded(String id, Path layer, String source) {
    return new SandboxMount.Cache(
        "/c",
        id,
        CacheSharing.SHARED,
        false,
        new CacheSeed(List.of(layer), SEED_ID.toString(), Optional.empty()),
        source,
        "seed");
  }

  /** The sandbox tests need root and busybox-static; the resolution tests above need neither. */
  static synchronized void requireSandbox() throws IOException {
    assumeTrue(Posix.isRoot(), "RUN needs root; CI runs as root");
    assumeTrue(BusyboxRootfs.available(), "needs busybox-static and libcap2-bin (setup script)");
    if (base == null) {
      base = BusyboxRootfs.layer(shared.resolve("base"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.strata.bridge.run.RunExecutorTest#runtimes")
  void seedIsVisibleAtFirstUseAndWritesPersistInTheInstanceOnly(String runtime) throws IOException {
    Path layer = seedLayer(tmp.resolve("seed"));
    String id = "seeded-" + runtime;
    RunMountTest.Run first =
        run(
            runtime,
            "cat /c/a.txt && ls /c && echo written > /c/new",
            seeded(id, layer, "/deps/sub"));
    assertThat(first.exit()).as(first.stderr()).isZero();
    assertThat(first.stdout()).isEqualTo("seeded\na.txt\n");
    assertThat(first.layer()).isEmpty();
    assertThat(layer.resolve("deps/sub/new")).doesNotExist();

    RunMountTest.Run second = run(runtime, "cat /c/sub/new /c/t.txt", seeded(id, layer, "/deps"));
    assertThat(second.exit()).as(second.stderr()).isZero();
    assertThat(second.stdout()).isEqualTo("written\ntop\n");
    assertThat(second.layer()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.strata.bridge.run.RunExecutorTest#runtimes")
  void aSourceThroughAnAbsoluteSymlinkStaysInsideTheSeed(String runtime) throws IOException {
    Path layer = seedLayer(tmp.resolve("seed"));
    RunMountTest.Run r =
        run(runtime, "cat /c/inside.txt", seeded("link-" + runtime, layer, "/link"));
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("the seed's etc\n");
  }

  @Test
  void aFolderFromModeUidGidIsMadeInTheInstanceNotInTheSeed() throws IOException {
    Path layer = seedLayer(tmp.resolve("seed"));
    SandboxMount.Cache c =
        new SandboxMount.Cache(
            "/c",
            "perm",
            CacheSharing.LOCKED,
            false,
            new CacheSeed(
                List.of(layer),
                SEED_ID.toString(),
                Optional.of(new CacheSeed.Folder("/cache", 0700, 1000, 1001))),
            "/cache",
            "seed");
    RunMountTest.Run r = run("runc", "stat -c %a:%u:%g /c && ls -A /c | wc -l", c);
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("700:1000:1001\n0\n");
    assertThat(layer.resolve("cache")).doesNotExist();
  }

  @Test
  void aMissingSourceIsAClearError() throws IOException {
    Path layer = seedLayer(tmp.resolve("seed"));
    assertThatThrownBy(() -> run("runc", "true", seeded("missing", layer, "/nope")))
        .isInstanceOf(RunSetupException.class)
        .hasMessageContaining("cache mount source '/nope' does not exist in seed");
  }
}
