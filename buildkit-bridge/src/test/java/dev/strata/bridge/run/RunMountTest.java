package dev.strata.bridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.dsl.instructions.CacheSharing;
import dev.strata.dsl.instructions.RunMount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RUN --mount of every type, in every runtime: visible to the command, absent from the layer. */
class RunMountTest {
  static final String SECRET = "s3cr3t-value-7f1c9a";

  @TempDir static Path shared;
  @TempDir Path tmp;
  static Path base;

  @BeforeAll
  static void setUp() throws IOException {
    assumeTrue(Posix.isRoot(), "RUN needs root; CI runs as root");
    assumeTrue(BusyboxRootfs.available(), "needs busybox-static and libcap2-bin (setup script)");
    base = BusyboxRootfs.layer(shared.resolve("base"));
  }

  static RunExecutor executor(String runtime) throws IOException {
    return RunExecutorTest.executorIn(shared, runtime);
  }

  record Run(int exit, String stdout, String stderr, List<String> layer, byte[] layerBlob) {}

  static Run run(String runtime, String script, List<SandboxMount> mounts) throws IOException {
    CapturedOutput out = new CapturedOutput();
    RunRequest req =
        RunRequest.of(List.of(base), RunExecutorTest.sh(script), List.of())
            .withMounts(mounts)
            .withOutput(out);
    try (RunResult r = executor(runtime).run(req)) {
      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      LayerWriter writer = new LayerWriter(Optional.empty());
      r.writeLayer(writer, blob);
      List<String> paths = r.layerEntries(writer).stream().map(TarEntry::path).toList();
      return new Run(r.exitCode(), out.stdout(), out.stderr(), paths, blob.toByteArray());
    }
  }

  static SandboxMount.Cache cache(String target, String id, CacheSharing sharing) {
    return new SandboxMount.Cache(target, id, sharing, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.strata.bridge.run.RunExecutorTest#runtimes")
  void cacheMountPersistsAcrossRunsAndStaysOutOfTheLayer(String runtime) throws IOException {
    Run first =
        run(
            runtime,
            "echo kept > /var/cache/apt/x",
            List.of(cache("/var/cache/apt", "apt", CacheSharing.SHARED)));
    assertThat(first.exit()).as(first.stderr()).isZero();
    assertThat(first.layer()).isEmpty();
    Run second =
        run(runtime, "cat /root/c/x", List.of(cache("/root/c", "apt", CacheSharing.LOCKED)));
    assertThat(second.stdout()).isEqualTo("kept\n");
    assertThat(second.layer()).isEmpty();
  }

  @Test
  void privateCacheInUseGivesASecondInstance() throws IOException {
    CacheVolumes volumes = new CacheVolumes(tmp.resolve("caches"));
    SandboxMount.Cache c = cache("/c", "p", CacheSharing.PRIVATE);
    try (CacheVolumes.Lease a = volumes.acquire(c);
        CacheVolumes.Lease b = volumes.acquire(c)) {
      assertThat(a.dir).isNotEqualTo(b.dir);
    }
    try (CacheVolumes.Lease again = volumes.acquire(c)) {
      assertThat(again.dir.getFileName().toString()).doesNotContain("-");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.strata.bridge.run.RunExecutorTest#runtimes")
  void secretIsReadableAndAppearsInNoLayerByte(String runtime) throws IOException {
    byte[] value = SECRET.getBytes(StandardCharsets.UTF_8);
    Run r =
        run(
            runtime,
            "cat /run/secrets/token; stat -c %a:%u /run/secrets/token; cp /run/secrets/token /srv/copy-name-only;"
                + " rm /srv/copy-name-only; echo \"$TOKEN\" | wc -c",
            List.of(new SandboxMount.Secret("/run/secrets/token", "TOKEN", value, 0400, 0, 0)));
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo(SECRET + "400:0\n" + (SECRET.length() + 1) + "\n");
    assertThat(r.layer()).containsExactly("srv");
    byte[] tar =
        new GZIPInputStream(new java.io.ByteArrayInputStream(r.layerBlob())).readAllBytes();
    assertThat(new String(tar, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    assertThat(new String(r.layerBlob(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.strata.bridge.run.RunExecutorTest#runtimes")
  void readOnlyBindCannotBeWrittenAndRwBindWritesAreDiscarded(String runtime) throws IOException {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("in.txt"), "from context\n");
    Run ro =
        run(
            runtime,
            "cat /mnt/ctx/in.txt; touch /mnt/ctx/new",
            List.of(new SandboxMount.Bind("/mnt/ctx", ctx, false)));
    assertThat(ro.stdout()).isEqualTo("from context\n");
    assertThat(ro.exit()).isNotZero();
    Run rw =
        run(
            runtime,
            "echo changed > /mnt/ctx/in.txt && cat /mnt/ctx/in.txt",
            List.of(new SandboxMount.Bind("/mnt/ctx", ctx, true)));
    assertThat(rw.exit()).as(rw.stderr()).isZero();
    assertThat(rw.stdout()).isEqualTo("changed\n");
    assertThat(Files.readString(ctx.resolve("in.txt"))).isEqualTo("from context\n");
    assertThat(rw.layer()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.strata.bridge.run.RunExecutorTest#runtimes")
  void tmpfsMountIsATmpfsAndItsFilesVanish(String runtime) throws IOException {
    Run r =
        run(
            runtime,
            "echo x > /scratch/f && grep ' /scratch ' /proc/mounts | cut -d' ' -f3",
            List.of(new SandboxMount.Tmpfs("/scratch", 1 << 20)));
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("tmpfs\n");
    assertThat(r.layer()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.strata.bridge.run.RunExecutorTest#runtimes")
  void sshAgentSocketIsBoundAndAnnounced(String runtime) throws IOException {
    Path socket = tmp.resolve("agent.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Run r =
          run(
              runtime,
              "test -S \"$SSH_AUTH_SOCK\" && echo $SSH_AUTH_SOCK",
              List.of(new SandboxMount.Ssh("/run/buildkit/ssh_agent.0", socket)));
      assertThat(r.exit()).as(r.stderr()).isZero();
      assertThat(r.stdout()).isEqualTo("/run/buildkit/ssh_agent.0\n");
      assertThat(r.layer()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.strata.bridge.run.RunExecutorTest#runtimes")
  void targetThroughAnAbsoluteSymlinkIsMountedInsideTheImage(String runtime) throws IOException {
    Path layer = Files.createDirectories(tmp.resolve("link-layer/srv"));
    Files.createSymbolicLink(layer.resolve("link"), Path.of("/opt/landing"));
    CapturedOutput out = new CapturedOutput();
    RunRequest req =
        new RunRequest(
            List.of(base, layer.getParent()),
            RunExecutorTest.sh("grep ' /opt/landing ' /proc/mounts | cut -d' ' -f3"),
            List.of(),
            dev.strata.bridge.rootfs.Owner.ROOT,
            List.of(),
            "/",
            dev.strata.dsl.instructions.NetworkMode.DEFAULT,
            List.of(new SandboxMount.Tmpfs("/srv/link", 1 << 20)),
            java.time.Duration.ZERO,
            out);
    try (RunResult r = executor(runtime).run(req)) {
      assertThat(r.exitCode()).as(out.stderr()).isZero();
      assertThat(r.layerEntries(new LayerWriter(Optional.empty()))).isEmpty();
    }
    assertThat(out.stdout()).isEqualTo("tmpfs\n");
  }

  @Test
  void missingRequiredSecretIsAClearError() {
    List<RunMount> mounts = List.of(RunMount.parse("type=secret,id=npm,required", s -> s));
    assertThatThrownBy(
            () ->
                RunMounts.resolve(mounts, tmp, BuildahOracleTest.NO_STAGES, BuildSecrets.NONE, "/"))
        .isInstanceOf(RunSetupException.class)
        .hasMessageContaining("--secret id=npm");
  }

  @Test
  void bindSourceOutsideTheContextIsRefused() throws IOException {
    Path ctx = Files.createDirectories(tmp.resolve("ctx2"));
    Files.createSymbolicLink(ctx.resolve("escape"), Path.of("/etc"));
    List<RunMount> mounts = List.of(RunMount.parse("type=bind,source=escape,target=/x", s -> s));
    assertThatThrownBy(
            () ->
                RunMounts.resolve(mounts, ctx, BuildahOracleTest.NO_STAGES, BuildSecrets.NONE, "/"))
        .isInstanceOf(RunSetupException.class)
        .hasMessageContaining("leads outside the build context");
  }
}
