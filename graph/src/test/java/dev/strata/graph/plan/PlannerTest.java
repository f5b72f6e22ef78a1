package dev.strata.graph.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.graph.GraphBuilder;
import dev.strata.graph.ProjectFixture;
import dev.strata.graph.project.LayerCompression;
import dev.strata.graph.project.ProjectLoader;
import dev.strata.graph.render.PlanRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans over a real on-disk SOE hierarchy (base → soe → {db, web}) built once and recorded: each
 * change plans exactly the nodes it affects, from the right step, with its reason in text and JSON.
 */
class PlannerTest {
  private static final String DEBIAN = "docker.io/library/debian:bookworm";
  private static final String DIGEST_1 = "sha256:" + "1".repeat(64);
  private static final String DIGEST_2 = "sha256:" + "2".repeat(64);
  private static final String DIGEST_3 = "sha256:" + "3".repeat(64);
  private static final String DIGEST_4 = "sha256:" + "4".repeat(64);

  @TempDir Path dir;
  private ProjectFixture p;
  private final RecordedBuilds state = new RecordedBuilds();

  @BeforeEach
  void projectBuiltOnce() throws IOException {
    p = new ProjectFixture(dir);
    p.write(
        "strata.yaml",
        """
        images:
          base: { containerfile: base/Containerfile, aliases: [corp/base] }
          soe: { containerfile: soe/Containerfile, aliases: [corp/soe] }
          db: { containerfile: db/Containerfile }
          web: { containerfile: web/Containerfile }
        """);
    p.write("strata.lock", "bases:\n  " + DEBIAN + ": " + DIGEST_1 + "\n");
    p.write(
        "base/Containerfile",
        "FROM debian:bookworm\nRUN apt-get install -y systemd\nCOPY files/ /etc/\n");
    p.write("base/files/hostname", "corp\n");
    p.write(
        "soe/Containerfile",
        "FROM corp/base\nARG SOE_VERSION=1\nRUN echo $SOE_VERSION > /etc/soe\nCOPY motd /etc/motd\n");
    p.write("soe/motd", "welcome\n");
    p.write(
        "db/Containerfile",
        "FROM corp/soe\nRUN apt-get install -y postgresql\nCOPY pg.conf /etc/pg.conf\n");
    p.write("db/pg.conf", "max_connections=100\n");
    p.write(
        "web/Containerfile",
        "FROM corp/soe\n"
            + "RUN apt-get install -y nginx\n"
            + "COPY site/index.html /srv/index.html\n"
            + "COPY nginx.conf /etc/nginx/nginx.conf\n");
    p.write("web/site/index.html", "<p>hi</p>\n");
    p.write("web/nginx.conf", "events {}\n");
    state.record(plan(Map.of()));
  }

  private Plan plan(Map<String, String> args) throws IOException {
    var project = ProjectLoader.load(dir);
    return Planner.plan(
        GraphBuilder.build(project, args),
        LockFile.read(project.lockFile()),
        BaseImageResolver.OFFLINE,
        state);
  }

  private Plan plan() throws IOException {
    return plan(Map.of());
  }

  private static NodePlan node(Plan plan, String name) {
    return plan.nodes().stream().filter(n -> n.node().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void anUnchangedTreePlansNothing() throws IOException {
    Plan plan = plan();
    assertThat(plan.rebuilds()).isEmpty();
    assertThat(PlanRenderer.text(plan)).contains("web: up-to-date", "0 of 4 nodes to rebuild");
    assertThat(PlanRenderer.json(plan)).contains("\"rebuild\" : [ ]");
  }

  @Test
  void aNeverBuiltTreePlansEveryNodeAsNew() throws IOException {
    var project = ProjectLoader.load(dir);
    Plan plan =
        Planner.plan(
            GraphBuilder.build(project),
            LockFile.read(project.lockFile()),
            BaseImageResolver.OFFLINE,
            BuildState.NONE);
    assertThat(plan.rebuilds()).hasSize(4);
    assertThat(PlanRenderer.text(plan)).contains("base: rebuild from step 1", "new node");
    assertThat(PlanRenderer.json(plan)).contains("\"kind\" : \"NEW_NODE\"");
  }

  @Test
  void editingAFileUnderALeafCopyPlansOnlyThatLeafFromThatStep() throws IOException {
    p.write("web/nginx.conf", "events { worker_connections 512; }\n");

    Plan plan = plan();
    assertThat(plan.rebuilds()).extracting(NodePlan::node).containsExactly("web");
    NodePlan web = node(plan, "web");
    assertThat(web.rebuildFrom()).contains(4);
    assertThat(web.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo(ReasonKind.INPUT_FILE_CHANGED);
              assertThat(r.subject()).isEqualTo("nginx.conf");
            });
    assertThat(PlanRenderer.text(plan))
        .contains(
            "web: rebuild from step 4 (COPY nginx.conf /etc/nginx/nginx.conf)",
            "step 4: input file changed: nginx.conf");
    assertThat(PlanRenderer.json(plan))
        .contains("\"kind\" : \"INPUT_FILE_CHANGED\"", "\"subject\" : \"nginx.conf\"");
  }

  @Test
  void aFileModeChangeIsAnInputChange() throws IOException {
    java.nio.file.Files.setPosixFilePermissions(
        dir.resolve("db/pg.conf"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    assertThat(plan().rebuilds()).extracting(NodePlan::node).containsExactly("db");
  }

  @Test
  void aWildcardSourceCountsOnlyTheFilesItSelectsAsGoMatchDoes() throws IOException {
    p.write("db/Containerfile", "FROM corp/soe\nCOPY conf/*.conf /etc/pg/\n");
    p.write("db/conf/main.conf", "a\n");
    state.record(plan());

    p.write("db/conf/notes.txt", "not selected\n");
    p.write("db/conf/sub/deeper.conf", "not selected: * stops at a slash\n");
    assertThat(plan().rebuilds()).isEmpty();

    p.write("db/conf/extra.conf", "selected\n");
    assertThat(plan().rebuilds()).extracting(NodePlan::node).containsExactly("db");
  }

  @Test
  void aFileTheContainerignoreExcludesDoesNotCount() throws IOException {
    p.write("base/.containerignore", "files/*.bak\n");
    state.record(plan());
    p.write("base/files/hostname.bak", "old\n");

    assertThat(plan().rebuilds()).isEmpty();
  }

  @Test
  void editingTheSoeContainerfilePlansSoeAndBothChildren() throws IOException {
    p.write(
        "soe/Containerfile",
        "FROM corp/base\nARG SOE_VERSION=1\nRUN echo $SOE_VERSION > /etc/soe-release\nCOPY motd /etc/motd\n");

    Plan plan = plan();
    assertThat(plan.rebuilds()).extracting(NodePlan::node).containsExactly("soe", "db", "web");
    assertThat(node(plan, "soe").rebuildFrom()).contains(3);
    assertThat(node(plan, "soe").reasons())
        .extracting(Reason::kind)
        .containsExactly(ReasonKind.INSTRUCTION_CHANGED);
    assertThat(node(plan, "db").rebuildFrom()).contains(1);
    String text = PlanRenderer.text(plan);
    assertThat(text)
        .contains(
            "soe: rebuild from step 3 (RUN echo $SOE_VERSION > /etc/soe-release)",
            "step 3: instruction changed: RUN echo $SOE_VERSION > /etc/soe-release",
            "db: rebuild from step 1 (FROM corp/soe)",
            "parent rebuilt: soe",
            "base: up-to-date");
    assertThat(PlanRenderer.json(plan))
        .contains("\"kind\" : \"INSTRUCTION_CHANGED\"", "\"kind\" : \"PARENT_REBUILT\"");
  }

  @Test
  void movingTheBaseDigestInStrataLockPlansEverything() throws IOException {
    p.write("strata.lock", "bases:\n  " + DEBIAN + ": " + DIGEST_2 + "\n");

    Plan plan = plan();
    assertThat(plan.rebuilds())
        .extracting(NodePlan::node)
        .containsExactly("base", "soe", "db", "web");
    assertThat(node(plan, "base").rebuildFrom()).contains(1);
    assertThat(PlanRenderer.text(plan))
        .contains("step 1: base digest moved: " + DEBIAN + " " + DIGEST_1 + " → " + DIGEST_2);
    assertThat(PlanRenderer.json(plan)).contains("\"kind\" : \"BASE_DIGEST_MOVED\"");
  }

  @Test
  void aChangeOfLayerCompressionPlansEveryNodeFromItsFrom() throws IOException {
    p.write(
        "strata.yaml",
        java.nio.file.Files.readString(dir.resolve("strata.yaml"))
            .replace("images:", "compression: zstd\nimages:"));

    Plan plan = plan();
    assertThat(plan.rebuilds())
        .extracting(NodePlan::node)
        .containsExactly("base", "soe", "db", "web");
    assertThat(node(plan, "base").rebuildFrom()).contains(1);
    assertThat(node(plan, "base").reasons())
        .extracting(Reason::kind)
        .containsExactly(ReasonKind.LAYER_COMPRESSION_CHANGED);
    assertThat(PlanRenderer.text(plan)).contains("step 1: layer compression changed: gzip → zstd");
  }

  @Test
  void aLayerCompressionOverrideGivesTheKeysOfTheSameSettingInStrataYaml() throws IOException {
    var project = ProjectLoader.load(dir).withCompression(LayerCompression.ZSTD);
    Plan overridden =
        Planner.plan(
            GraphBuilder.build(project, Map.of()),
            LockFile.read(project.lockFile()),
            BaseImageResolver.OFFLINE,
            state);
    p.write(
        "strata.yaml",
        java.nio.file.Files.readString(dir.resolve("strata.yaml"))
            .replace("images:", "compression: zstd\nimages:"));

    assertThat(overridden.nodes())
        .extracting(n -> n.keys().finalKey())
        .containsExactlyElementsOf(plan().nodes().stream().map(n -> n.keys().finalKey()).toList());
  }

  @Test
  void aBuildArgChangePlansOnlyTheNodesThatUseIt() throws IOException {
    Plan plan = plan(Map.of("SOE_VERSION", "2"));

    // soe declares SOE_VERSION; db and web rebuild because their parent does; base does not use it.
    assertThat(plan.rebuilds()).extracting(NodePlan::node).containsExactly("soe", "db", "web");
    assertThat(node(plan, "soe").rebuildFrom()).contains(2);
    assertThat(node(plan, "soe").reasons())
        .extracting(Reason::kind)
        .containsExactly(ReasonKind.BUILD_ARG_CHANGED);
    assertThat(PlanRenderer.text(plan)).contains("step 2: build arg SOE_VERSION changed: 1 → 2");
    assertThat(PlanRenderer.json(plan)).contains("\"kind\" : \"BUILD_ARG_CHANGED\"");
  }

  @Test
  void aBuildArgNoNodeDeclaresPlansNothing() throws IOException {
    assertThat(plan(Map.of("UNUSED", "x")).rebuilds()).isEmpty();
  }

  @Test
  void movingALineWithoutChangingItKeepsTheKeys() throws IOException {
    p.write(
        "db/Containerfile",
        "# the database role\n\nFROM corp/soe\nRUN apt-get install -y postgresql\nCOPY pg.conf /etc/pg.conf\n");

    assertThat(plan().rebuilds()).isEmpty();
  }

  @Test
  void anUnpinnedBaseIsResolvedOnceAndPinned() throws IOException {
    p.write("strata.lock", "");
    FixedDigests resolver = new FixedDigests();
    resolver.digests.put(DEBIAN, DIGEST_1);
    var project = ProjectLoader.load(dir);
    LockFile lock = LockFile.read(project.lockFile());

    Plan plan = Planner.plan(GraphBuilder.build(project), lock, resolver, state);

    assertThat(plan.rebuilds()).isEmpty();
    assertThat(lock.changed()).isTrue();
    lock.write();
    assertThat(LockFile.read(project.lockFile()).digest(DEBIAN)).contains(DIGEST_1);
  }

  @Test
  void anUnpinnedBaseWithoutResolverIsNoted() throws IOException {
    p.write("strata.lock", "");
    Plan plan = plan();
    assertThat(plan.notes()).singleElement().asString().contains(DEBIAN + " is not pinned");
    assertThat(plan.rebuilds()).extracting(NodePlan::node).contains("base");
  }

  /**
   * Builds every node as the engine does: parents first, each planned once its parents are built.
   */
  private void buildAll(Map<String, String> args, Map<String, String> configs) throws IOException {
    for (String name : java.util.List.of("base", "soe", "db", "web")) {
      state.record(node(plan(args), name).keys(), configs.get(name));
    }
  }

  @Test
  void aParentRebuiltToTheSameImageDoesNotRebuildItsChildren() throws IOException {
    Map<String, String> configs =
        Map.of("base", DIGEST_1, "soe", DIGEST_2, "db", DIGEST_3, "web", DIGEST_4);
    buildAll(Map.of(), configs);
    assertThat(plan().rebuilds()).isEmpty();

    Plan before = plan(Map.of("SOE_VERSION", "2"));
    assertThat(before.rebuilds()).extracting(NodePlan::node).containsExactly("soe", "db", "web");
    assertThat(PlanRenderer.text(before))
        .contains("parent rebuilt: soe (rebuild if its result changes)");

    // The engine rebuilds soe; its image comes out byte for byte the same (same config digest).
    state.record(node(before, "soe").keys(), DIGEST_2);
    Plan after = plan(Map.of("SOE_VERSION", "2"));
    assertThat(after.rebuilds()).isEmpty();
  }

  @Test
  void aParentRebuiltToAnotherImageRebuildsItsChildrenNamingBothConfigs() throws IOException {
    buildAll(Map.of(), Map.of("base", DIGEST_1, "soe", DIGEST_2, "db", DIGEST_3, "web", DIGEST_4));
    Plan before = plan(Map.of("SOE_VERSION", "2"));

    state.record(node(before, "soe").keys(), DIGEST_3);
    Plan after = plan(Map.of("SOE_VERSION", "2"));

    assertThat(after.rebuilds()).extracting(NodePlan::node).containsExactly("db", "web");
    assertThat(node(after, "db").rebuildFrom()).contains(1);
    assertThat(PlanRenderer.text(after))
        .contains("parent's image changed: soe (config " + DIGEST_2 + " → " + DIGEST_3 + ")");
  }

  @Test
  void aNodePlannedAloneWithItsParentsKeysIsPlannedAsInTheWholePlan() throws IOException {
    buildAll(Map.of(), Map.of("base", DIGEST_1, "soe", DIGEST_2, "db", DIGEST_3, "web", DIGEST_4));
    p.write("web/nginx.conf", "events { worker_connections 64; }\n");
    Map<String, String> args = Map.of("SOE_VERSION", "2");
    var project = ProjectLoader.load(dir);
    var graph = GraphBuilder.build(project, args);
    Map<String, NodeKeys> known = new java.util.HashMap<>();
    Map<String, String> configs = Map.of("base", DIGEST_1, "soe", DIGEST_3, "db", DIGEST_3);
    for (String name : java.util.List.of("base", "soe", "db", "web")) {
      NodePlan whole = node(plan(args), name);
      NodePlan alone =
          Planner.plan(
              graph,
              LockFile.read(project.lockFile()),
              BaseImageResolver.OFFLINE,
              state,
              name,
              known);

      assertThat(alone).as(name).isEqualTo(whole);
      known.put(name, alone.keys());
      state.record(alone.keys(), configs.getOrDefault(name, DIGEST_4));
    }
    assertThat(node(plan(args), "web").rebuildFrom()).isEmpty();
  }

  @Test
  void aNodePlannedAloneComputesTheKeysOfParentsNotKnown() throws IOException {
    var project = ProjectLoader.load(dir);
    NodePlan alone =
        Planner.plan(
            GraphBuilder.build(project, Map.of()),
            LockFile.read(project.lockFile()),
            BaseImageResolver.OFFLINE,
            state,
            "web",
            Map.of());

    assertThat(alone).isEqualTo(node(plan(), "web"));
  }
}
