package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.rootfs.LayerCache;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.run.BuildSecrets;
import dev.strata.bridge.run.SandboxRunStep;
import dev.strata.bridge.store.OciLayoutStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RUN inside a graph build ({@link SandboxRunStep}): it runs as the image config says, reads its
 * mounts from the context and from other stages, and its secrets never enter the cache key.
 */
class RunInBuildTest {
  @TempDir Path tmp;
  private OciLayoutStore store;

  @BeforeEach
  void setUp() throws Exception {
    TestBuilds.requireRoot();
    store = TestBuilds.storeWithBase(tmp.resolve("store"), Optional.empty());
  }

  @Test
  void runGetsEnvBuildArgsUserGroupsShellAndWorkdirFromTheStage() throws Exception {
    Path dir =
        TestBuilds.context(
            tmp.resolve("p"),
            "FROM "
                + TestBuilds.BASE
                + "\nARG GREETING=hello\nENV FROM_ENV=env\nWORKDIR /srv\nUSER app\n"
                + "SHELL [\"/bin/sh\", \"-ec\"]\n"
                + "RUN echo \"$GREETING $FROM_ENV $(busybox id -u):$(busybox id -g)"
                + " [$(busybox id -G)] $(pwd) $0\" > /tmp/out\n",
            Map.of());
    NodeResult result = build(dir, BuildSecrets.NONE).get(0);
    // app is 1000:1001 and a member of staff (50) in the image's own /etc/group.
    assertThat(read(result, "/tmp/out")).isEqualTo("hello env 1000:1001 [1001 50] /srv /bin/sh\n");
  }

  @Test
  void bindMountsReadTheContextAndOtherStagesAndStayOutOfTheLayer() throws Exception {
    Path dir =
        TestBuilds.context(
            tmp.resolve("p"),
            "FROM "
                + TestBuilds.BASE
                + " AS tools\nRUN echo tool > /tool.txt\n"
                + "FROM "
                + TestBuilds.BASE
                + "\nRUN --mount=type=bind,source=setup,target=/run/setup"
                + " --mount=type=bind,from=tools,source=/tool.txt,target=/opt/tool.txt"
                + " sh /run/setup/go.sh\n",
            Map.of("setup/go.sh", "cat /opt/tool.txt > /result\necho ctx >> /result\n"));
    NodeResult result = build(dir, BuildSecrets.NONE).get(0);
    assertThat(read(result, "/result")).isEqualTo("tool\nctx\n");
    assertThat(view(result).lookup("/run/setup")).isEmpty();
    assertThat(view(result).lookup("/opt/tool.txt")).isEmpty();
  }

  @Test
  void aDifferentSecretValueIsStillACacheHit() throws Exception {
    Path dir =
        TestBuilds.context(
            tmp.resolve("p"),
            "FROM "
                + TestBuilds.BASE
                + "\nRUN --mount=type=secret,id=token busybox wc -c < /run/secrets/token > /len\n",
            Map.of());
    NodeResult first = build(dir, secret("one")).get(0);
    NodeResult second = build(dir, secret("a longer one")).get(0);
    assertThat(first.stepsBuilt()).isEqualTo(1);
    assertThat(second.stepsBuilt()).isZero();
    assertThat(second.manifest()).isEqualTo(first.manifest());
  }

  @Test
  void aFailingRunNamesItsLineAndExitCode() throws Exception {
    Path dir =
        TestBuilds.context(
            tmp.resolve("p"),
            "FROM " + TestBuilds.BASE + "\nRUN echo about to fail && exit 3\n",
            Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> build(dir, BuildSecrets.NONE))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("Containerfile:2: RUN exited with code 3")
        .hasMessageContaining("about to fail");
  }

  @Test
  void anExecutorThatCannotBeSetUpFailsTheRunAtItsLineAlsoWhenSetUpAhead() throws Exception {
    Path dir =
        TestBuilds.context(
            tmp.resolve("p"),
            "FROM " + TestBuilds.BASE + "\nCOPY a.txt /a.txt\nRUN true\n",
            Map.of("a.txt", "a\n"));
    // The COPY misses the cache, so the executor is set up (and fails) while it runs.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TestBuilds.build(
                    store,
                    dir,
                    Optional.empty(),
                    Map.of(),
                    SandboxRunStep.inStore(
                        store.root(), Optional.of("nosuchruntime"), BuildSecrets.NONE)))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("Containerfile:3: unknown --runtime 'nosuchruntime'");
  }

  private static String cacheFromFile(String seedText, String... runs) {
    return "FROM "
        + TestBuilds.BASE
        + " AS seed\nRUN busybox mkdir -p /deps/sub && echo "
        + seedText
        + " > /deps/sub/a.txt && echo top > /deps/t.txt\nFROM "
        + TestBuilds.BASE
        + "\n"
        + String.join("", runs);
  }

  private static final String FIRST_USE =
      "RUN --mount=type=cache,id=deps,from=seed,source=/deps/sub,target=/c"
          + " busybox cat /c/a.txt > /first && busybox ls /c > /listing && echo w > /c/new\n";

  @Test
  void aCacheFromAStageShowsItsSourceAtFirstUseAndKeepsWritesForTheNextBuild() throws Exception {
    Path dir = TestBuilds.context(tmp.resolve("p"), cacheFromFile("seeded", FIRST_USE), Map.of());
    NodeResult first = build(dir, BuildSecrets.NONE).get(0);
    assertThat(read(first, "/first")).isEqualTo("seeded\n");
    assertThat(read(first, "/listing")).isEqualTo("a.txt\n");
    assertThat(view(first).lookup("/c")).isEmpty();

    TestBuilds.context(
        dir,
        cacheFromFile(
            "seeded",
            FIRST_USE,
            "RUN --mount=type=cache,id=deps,from=seed,source=/deps,target=/d"
                + " busybox cat /d/sub/new /d/t.txt > /second\n"),
        Map.of());
    NodeResult second = build(dir, BuildSecrets.NONE).get(0);
    assertThat(second.stepsBuilt()).isEqualTo(1);
    assertThat(read(second, "/second")).isEqualTo("w\ntop\n");
    assertThat(view(second).lookup("/d")).isEmpty();
  }

  @Test
  void whatACacheHoldsIsNoPartOfTheKeyButItsFromStageIs() throws Exception {
    Path dir = TestBuilds.context(tmp.resolve("p"), cacheFromFile("seeded", FIRST_USE), Map.of());
    build(dir, BuildSecrets.NONE);
    NodeResult again = build(dir, BuildSecrets.NONE).get(0);
    assertThat(again.stepsBuilt()).as("the cache now holds 'new'; still a hit").isZero();

    TestBuilds.context(dir, cacheFromFile("changed", FIRST_USE), Map.of());
    NodeResult changed = build(dir, BuildSecrets.NONE).get(0);
    assertThat(changed.stepsBuilt()).as("seed's RUN and the RUN mounting it").isEqualTo(2);
    assertThat(read(changed, "/first")).isEqualTo("changed\n");
    assertThat(read(changed, "/listing"))
        .as("a new seed is a new cache instance, without the old one's writes")
        .isEqualTo("a.txt\n");
  }

  @Test
  void aCacheFromNoStageNorImageIsAnErrorNamingItsLine() throws Exception {
    Path dir =
        TestBuilds.context(
            tmp.resolve("p"),
            "FROM "
                + TestBuilds.BASE
                + "\nRUN --mount=type=cache,from=nosuchstage,target=/c true\n",
            Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> build(dir, BuildSecrets.NONE))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("Containerfile:2: nosuchstage is no stage of this Containerfile");
  }

  @Test
  void aRunAfterTwoLayersThatChangedNothingStillRuns() throws Exception {
    // both RUNs write only to their cache mount: two empty layers, one extracted directory
    Path dir =
        TestBuilds.context(
            tmp.resolve("p"),
            "FROM "
                + TestBuilds.BASE
                + "\nRUN --mount=type=cache,target=/c echo one > /c/one"
                + "\nRUN --mount=type=cache,target=/c echo two > /c/two"
                + "\nRUN echo after > /after\n",
            Map.of());
    NodeResult result = build(dir, BuildSecrets.NONE).get(0);
    assertThat(read(result, "/after")).isEqualTo("after\n");
  }

  private List<NodeResult> build(Path dir, BuildSecrets secrets) throws Exception {
    return TestBuilds.build(
        store,
        dir,
        Optional.empty(),
        Map.of(),
        SandboxRunStep.inStore(store.root(), Optional.empty(), secrets));
  }

  private static BuildSecrets secret(String value) {
    return BuildSecrets.of(Map.of("token", value.getBytes(StandardCharsets.UTF_8)), Map.of());
  }

  private RootfsView view(NodeResult result) throws Exception {
    ImageManifest manifest = ImageManifest.parse(store.readBlob(result.manifest()));
    ImageConfig config = ImageConfig.parse(store.readBlob(result.config()));
    return new RootfsView(new LayerCache(store).stack(manifest.layers(), config.diffIds()));
  }

  private String read(NodeResult result, String path) throws Exception {
    return new String(view(result).read(path).orElseThrow(), StandardCharsets.UTF_8);
  }
}
