package dev.strata.bridge.buildkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.bridge.build.BuildException;
import dev.strata.bridge.build.ImageBuilder;
import dev.strata.bridge.build.ImageFetcher;
import dev.strata.bridge.build.NodeResult;
import dev.strata.bridge.build.PullPolicy;
import dev.strata.bridge.build.StoreBuildState;
import dev.strata.bridge.build.StoredImage;
import dev.strata.bridge.build.TestBuilds;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.registry.CredentialFiles;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.registry.RetryPolicy;
import dev.strata.bridge.registry.TestRegistry;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.LayerExtractor;
import dev.strata.bridge.tar.TreeSnapshot;
import dev.strata.bridge.tar.WhiteoutMode;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.ProvenanceLabels;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.plan.NodePlan;
import dev.strata.graph.plan.Planner;
import dev.strata.graph.project.ProjectLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BuildKit engine against real parts: dockerd 26's embedded BuildKit through docker-buildx 0.13
 * (the builder {@value #BUILDER}, a docker context scripts/setup-machine.sh starts), and the
 * distribution registry through Testcontainers. The native engine is the oracle: the same
 * Containerfiles give the same flattened root filesystem and config on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildKitEngineTest {
  static final String BUILDER = "strata-buildkit";
  private static final List<String> CONFIG_FIELDS =
      List.of(
          "Env",
          "Entrypoint",
          "Cmd",
          "WorkingDir",
          "User",
          "ExposedPorts",
          "Volumes",
          "Labels",
          "StopSignal",
          "Shell",
          "OnBuild");

  @TempDir Path tmp;
  private Path fixtures;
  private TestRegistry registry;
  private BuildxBuilder builder;

  @BeforeAll
  void start() throws Exception {
    TestBuilds.requireRoot();
    builder = BuildxBuilder.named(BUILDER);
    assertThat(builder.dockerContext())
        .as(
            "docker context "
                + BUILDER
                + " (dockerd 26 with BuildKit 0.13; scripts/setup-machine.sh starts it)")
        .isTrue();
    fixtures = Files.createTempDirectory("strata-buildkit-it-");
    registry = TestRegistry.start(fixtures, false);
  }

  @AfterAll
  void stop() throws IOException {
    if (registry != null) {
      registry.close();
    }
  }

  /** Four nodes, base → mid → {leaf1, leaf2}, with COPY, COPY --from a parent and config. */
  private Path configProject(String name) throws IOException {
    Path dir = tmp.resolve(name);
    write(dir, "strata.yaml", strataYaml());
    write(
        dir,
        "base/Containerfile",
        """
        FROM strata-test/busybox:1
        COPY etc/ /etc/strata/
        ENV BASE_VERSION=1 PATH=/usr/local/bin:/usr/bin:/bin
        LABEL org.example.tier=base
        """);
    write(dir, "base/etc/motd", "welcome to the corp base\n");
    write(dir, "base/etc/policy.d/10-base.conf", "level=1\n");
    write(
        dir,
        "mid/Containerfile",
        """
        FROM corp/base
        ARG FLAVOR=plain
        COPY --chown=1000:1001 app/ /opt/app/
        WORKDIR /opt/app
        ENV FLAVOR=${FLAVOR}
        USER app
        """);
    write(dir, "mid/app/main.sh", "#!/bin/sh\necho mid\n");
    write(dir, "mid/app/data/values.txt", "1 2 3\n");
    write(
        dir,
        "leaf1/Containerfile",
        """
        FROM corp/mid
        COPY --chmod=0755 tool.sh /usr/local/bin/tool
        COPY --from=corp/base /etc/strata/motd /etc/motd.leaf1
        EXPOSE 8080/tcp
        CMD ["tool", "--serve"]
        """);
    write(dir, "leaf1/tool.sh", "#!/bin/sh\necho tool\n");
    write(
        dir,
        "leaf2/Containerfile",
        """
        FROM corp/mid
        USER root
        COPY conf/ /etc/leaf2/
        ENTRYPOINT ["/bin/sh", "-c"]
        STOPSIGNAL SIGTERM
        LABEL org.example.tier=leaf
        """);
    write(dir, "leaf2/conf/leaf2.conf", "role=two\n");
    return dir;
  }

  /** The same shape with RUN steps that BuildKit executes on the parents' results. */
  private Path runProject(String name) throws IOException {
    Path dir = tmp.resolve(name);
    write(dir, "strata.yaml", strataYaml());
    write(
        dir,
        "base/Containerfile",
        """
        FROM strata-test/busybox:1
        COPY motd /etc/motd
        RUN mkdir -p /var/lib/corp && echo base > /var/lib/corp/layers
        """);
    write(dir, "base/motd", "corp\n");
    write(
        dir,
        "mid/Containerfile",
        """
        FROM corp/base
        RUN echo mid >> /var/lib/corp/layers && cat /etc/motd > /var/lib/corp/motd-seen
        """);
    write(
        dir,
        "leaf1/Containerfile",
        """
        FROM corp/mid
        COPY leaf.conf /etc/leaf1.conf
        RUN echo leaf1 >> /var/lib/corp/layers
        """);
    write(dir, "leaf1/leaf.conf", "one\n");
    write(
        dir,
        "leaf2/Containerfile",
        """
        FROM corp/mid
        RUN echo leaf2 >> /var/lib/corp/layers
        """);
    return dir;
  }

  private String strataYaml() {
    return "registry: "
        + registry.host()
        + "/corp\n"
        + "images:\n"
        + "  base: { containerfile: base/Containerfile, image: base, aliases: [corp/base] }\n"
        + "  mid: { containerfile: mid/Containerfile, image: mid, aliases: [corp/mid] }\n"
        + "  leaf1: { containerfile: leaf1/Containerfile, image: leaf1 }\n"
        + "  leaf2: { containerfile: leaf2/Containerfile, image: leaf2 }\n";
  }

  /** Records what the engine sent to BuildKit and what BuildKit printed. */
  private static final class Recorder implements BuildKitListener {
    final List<BuildxInvocation> invocations = Collections.synchronizedList(new ArrayList<>());
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final List<String> skipped = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void invocation(BuildxInvocation invocation) {
      invocations.add(invocation);
    }

    @Override
    public void progress(String node, String line) {
      lines.add("[" + node + "] " + line);
    }

    @Override
    public void skipped(String node) {
      skipped.add(node);
    }

    List<String> nodesSent() {
      return invocations.stream().map(BuildxInvocation::node).sorted().toList();
    }
  }

  private List<NodeResult> buildKit(OciLayoutStore store, Path project, Recorder recorder)
      throws IOException {
    DerivationGraph graph = GraphBuilder.build(ProjectLoader.load(project), Map.of());
    BuildKitEngine engine =
        new BuildKitEngine(
            new BuildKitEngine.Settings(
                store,
                PullPolicy.NEVER,
                ImageFetcher.NONE,
                new RegistryConnector(
                    Set.of(registry.host()),
                    CredentialFiles.of(List.of()),
                    new RetryPolicy(3, Duration.ofMillis(200))),
                builder,
                2,
                recorder));
    return engine.build(
        graph, List.of(), LockFile.read(graph.project().lockFile()), Map.of("FLAVOR", "gold"));
  }

  @Test
  void aGraphBuiltOnBuildKitEqualsTheNativeBuildFileForFileAndInConfig() throws Exception {
    Path project = configProject("oracle");
    OciLayoutStore nativeStore =
        TestBuilds.storeWithBase(tmp.resolve("native-store"), Optional.empty());
    List<NodeResult> expected =
        TestBuilds.build(nativeStore, project, Optional.empty(), Map.of("FLAVOR", "gold"));
    OciLayoutStore store = TestBuilds.storeWithBase(tmp.resolve("bk-store"), Optional.empty());
    Recorder recorder = new Recorder();

    List<NodeResult> actual = buildKit(store, project, recorder);

    assertThat(actual)
        .extracting(NodeResult::node)
        .containsExactly("base", "mid", "leaf1", "leaf2");
    assertThat(recorder.nodesSent()).containsExactly("base", "leaf1", "leaf2", "mid");
    // Not two empty trees: what the Containerfiles wrote is there, with its owners and modes.
    TreeMap<String, String> leaf1 = flattened(store, actual.get(2));
    assertThat(leaf1.get("usr/local/bin/tool")).startsWith("0100755 0:0");
    assertThat(leaf1.get("opt/app/data/values.txt")).startsWith("0100644 1000:1001");
    assertThat(leaf1).containsKeys("etc/motd.leaf1", "etc/strata/policy.d/10-base.conf", "bin/sh");
    assertThat(ImageConfig.parse(store.readBlob(actual.get(2).config())).configField("Env"))
        .hasValueSatisfying(env -> assertThat(env.toString()).contains("FLAVOR=gold"));
    for (int i = 0; i < expected.size(); i++) {
      NodeResult mine = actual.get(i);
      NodeResult oracle = expected.get(i);
      assertThat(mine.references()).isEqualTo(oracle.references());
      assertThat(flattened(store, mine))
          .as("flattened rootfs of " + mine.node())
          .isEqualTo(flattened(nativeStore, oracle));
      ImageConfig config = ImageConfig.parse(store.readBlob(mine.config()));
      ImageConfig oracleConfig = ImageConfig.parse(nativeStore.readBlob(oracle.config()));
      for (String field : CONFIG_FIELDS) {
        assertThat(withoutStoreDigests(normalized(config.configField(field))))
            .as(mine.node() + " config " + field)
            .isEqualTo(withoutStoreDigests(normalized(oracleConfig.configField(field))));
      }
      // The digests in the provenance labels name this store's images (each store imported its
      // own base), so they must name what this build used; and a child carries its own labels
      // only, not the external base name its parent's image carries (BuildKit inherits it).
      assertThat(mine.origin().labels()).containsEntry(ProvenanceLabels.NODE, mine.node());
      assertThat(labels(config)).isEqualTo(mine.origin().labels());
      mine.origin()
          .parentNode()
          .ifPresent(
              parent ->
                  assertThat(mine.origin().parentDigest())
                      .contains(
                          actual.stream()
                              .filter(r -> r.node().equals(parent))
                              .findFirst()
                              .orElseThrow()
                              .manifest()));
    }
  }

  /** A config's provenance labels, as the image carries them. */
  private static java.util.Map<String, String> labels(ImageConfig config) {
    java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
    config
        .configField("Labels")
        .ifPresent(
            n ->
                n.properties()
                    .forEach(
                        e -> {
                          if (ProvenanceLabels.WRITTEN.contains(e.getKey())) {
                            labels.put(e.getKey(), e.getValue().asText());
                          }
                        }));
    return labels;
  }

  /**
   * Labels without the digests of images that differ between two stores (checked against the origin
   * above).
   */
  private static JsonNode withoutStoreDigests(JsonNode value) {
    if (value instanceof com.fasterxml.jackson.databind.node.ObjectNode labels) {
      com.fasterxml.jackson.databind.node.ObjectNode copy = labels.deepCopy();
      copy.remove(List.of(ProvenanceLabels.BASE_DIGEST, ProvenanceLabels.PARENT_DIGEST));
      return copy;
    }
    return value;
  }

  @Test
  void buildKitRunsTheRunStepsOnTheParentsItWasPinnedTo() throws Exception {
    Path project = runProject("run");
    OciLayoutStore store = TestBuilds.storeWithBase(tmp.resolve("run-store"), Optional.empty());
    Recorder recorder = new Recorder();

    List<NodeResult> results = buildKit(store, project, recorder);

    NodeResult leaf1 = results.get(2);
    TreeMap<String, String> tree = flattened(store, leaf1);
    assertThat(tree).containsKeys("etc/leaf1.conf", "var/lib/corp/motd-seen");
    assertThat(read(store, leaf1, "var/lib/corp/layers")).isEqualTo("base\nmid\nleaf1\n");
    assertThat(read(store, results.get(3), "var/lib/corp/layers")).isEqualTo("base\nmid\nleaf2\n");
    assertThat(read(store, leaf1, "var/lib/corp/motd-seen")).isEqualTo("corp\n");
    // Every parent reference went to BuildKit pinned by digest, the external base via the mirror.
    BuildxInvocation mid =
        recorder.invocations.stream().filter(i -> i.node().equals("mid")).findFirst().orElseThrow();
    assertThat(mid.command())
        .contains(
            "corp/base=docker-image://"
                + registry.host()
                + "/corp/base@"
                + results.get(0).manifest());
    BuildxInvocation base =
        recorder.invocations.stream()
            .filter(i -> i.node().equals("base"))
            .findFirst()
            .orElseThrow();
    assertThat(base.printable())
        .contains(
            "--build-context strata-test/busybox:1=docker-image://"
                + registry.host()
                + "/corp/strata-mirror/docker.io/strata-test/busybox@sha256:");
    // Progress arrives per node.
    assertThat(recorder.lines).anyMatch(l -> l.startsWith("[leaf2] ") && l.contains("RUN echo"));
    assertThat(results).allMatch(r -> r.stepsBuilt() > 0 || r.stepsReused() > 0);
  }

  @Test
  void aPlanWithOnlyALeafChangedSendsOnlyThatLeafToBuildKit() throws Exception {
    Path project = runProject("incremental");
    OciLayoutStore store = TestBuilds.storeWithBase(tmp.resolve("inc-store"), Optional.empty());
    List<NodeResult> first = buildKit(store, project, new Recorder());
    write(project, "leaf1/leaf.conf", "one, changed\n");
    Recorder recorder = new Recorder();

    List<NodeResult> second = buildKit(store, project, recorder);

    assertThat(recorder.nodesSent()).containsExactly("leaf1");
    assertThat(recorder.skipped).containsExactly("base", "mid", "leaf2");
    assertThat(second.get(0).manifest()).isEqualTo(first.get(0).manifest());
    assertThat(second.get(2).manifest()).isNotEqualTo(first.get(2).manifest());
    assertThat(read(store, second.get(2), "etc/leaf1.conf")).isEqualTo("one, changed\n");
    // The build records are the native engine's: the plan now finds everything up to date.
    DerivationGraph graph = GraphBuilder.build(ProjectLoader.load(project), Map.of());
    assertThat(
            Planner.plan(
                    graph,
                    LockFile.read(graph.project().lockFile()),
                    ImageBuilder.storeResolver(store),
                    new StoreBuildState(store, graph.project().directory()))
                .nodes())
        .allMatch(NodePlan::upToDate);
  }

  @Test
  void aFailingRunNamesTheNodeAndShowsBuildKitsError() throws Exception {
    Path project = runProject("failing");
    write(project, "leaf2/Containerfile", "FROM corp/mid\nRUN echo about to fail && exit 3\n");
    OciLayoutStore store = TestBuilds.storeWithBase(tmp.resolve("fail-store"), Optional.empty());
    Recorder recorder = new Recorder();

    assertThatThrownBy(() -> buildKit(store, project, recorder))
        .isInstanceOf(BuildException.class)
        .hasMessageStartingWith("node leaf2: BuildKit failed")
        .hasMessageContaining("exit code: 3")
        .hasMessageContaining("docker --context " + BUILDER + " buildx build");
    // leaf1 was in the same wave: it finished and is stored and recorded.
    assertThat(store.resolve(registry.host() + "/corp/leaf1:latest")).isPresent();
    assertThat(store.resolve(registry.host() + "/corp/leaf2:latest")).isEmpty();
    assertThat(new StoreBuildState(store, project).lastBuild("leaf1")).isPresent();
  }

  @Test
  void aProjectWithoutARegistryIsRefusedBeforeAnythingRuns() throws Exception {
    Path project = runProject("no-registry");
    Files.writeString(
        project.resolve("strata.yaml"),
        strataYaml().replaceFirst("registry: .*\n", ""),
        StandardCharsets.UTF_8);
    Recorder recorder = new Recorder();

    assertThatThrownBy(
            () ->
                buildKit(
                    TestBuilds.storeWithBase(tmp.resolve("nr-store"), Optional.empty()),
                    project,
                    recorder))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("add `registry: HOST[:PORT]/PREFIX` to strata.yaml");
    assertThat(recorder.invocations).isEmpty();
  }

  private static TreeMap<String, String> flattened(OciLayoutStore store, NodeResult result)
      throws IOException {
    return TreeSnapshot.withoutTimes(rootfs(store, result));
  }

  private static String read(OciLayoutStore store, NodeResult result, String path)
      throws IOException {
    return Files.readString(rootfs(store, result).resolve(path), StandardCharsets.UTF_8);
  }

  /** The image's layers extracted in order, whiteouts applied, into a fresh folder. */
  private static Path rootfs(OciLayoutStore store, NodeResult result) throws IOException {
    Descriptor manifest = store.resolve(result.references().get(0)).orElseThrow();
    StoredImage image = StoredImage.read(store, manifest, result.references().get(0));
    Path root = Files.createTempDirectory(store.root(), "rootfs-");
    LayerExtractor extractor = new LayerExtractor(WhiteoutMode.APPLY, true);
    for (Descriptor layer : image.manifest().layers()) {
      extractor.extract(store.blobPath(layer.digest()), root);
    }
    return root;
  }

  /** Absent, null, [] and {} all mean "unset". */
  private static JsonNode normalized(Optional<JsonNode> value) {
    return value
        .filter(v -> !v.isNull() && !(v.isContainerNode() && v.isEmpty()))
        .filter(v -> !(v.isTextual() && v.asText().isEmpty()))
        .orElse(null);
  }

  private static void write(Path dir, String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
