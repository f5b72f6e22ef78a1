package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.ProvenanceLabels;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.plan.NodePlan;
import dev.strata.graph.plan.Plan;
import dev.strata.graph.plan.Planner;
import dev.strata.graph.project.ProjectLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md key decision 3: a child's FROM is keyed on its parent's built image (the digest of its
 * config without provenance labels, which covers the diffID chain), so a parent whose key changed
 * but whose rebuild gave the same image does not rebuild its children, nor does a parent whose
 * provenance labels alone moved; a parent rebuilt to another image does.
 */
class EarlyCutOffTest {
  private static final Optional<Instant> EPOCH = Optional.of(Instant.ofEpochSecond(1_700_000_000));

  @TempDir Path tmp;
  private OciLayoutStore store;
  private Path project;

  @BeforeAll
  static void root() {
    TestBuilds.requireRoot();
  }

  @BeforeEach
  void builtOnce() throws Exception {
    store = TestBuilds.storeWithBase(tmp.resolve("store"), EPOCH);
    project = tmp.resolve("project");
    // REV is declared but used by nothing: a new value changes the parent's keys, not its image.
    TestBuilds.context(
        project.resolve("parent"),
        "FROM " + TestBuilds.BASE + "\nARG REV=1\nCOPY motd /etc/motd\n",
        Map.of("motd", "welcome\n"));
    TestBuilds.context(
        project.resolve("child"),
        "FROM parent\nCOPY app.conf /etc/app.conf\n",
        Map.of("app.conf", "x=1\n"));
    List<NodeResult> first = TestBuilds.build(store, project, EPOCH, Map.of());
    assertThat(first).extracting(NodeResult::node).containsExactly("parent", "child");
    assertThat(first).allMatch(r -> r.stepsBuilt() > 0);
  }

  /** The plan of the project with {@code args}, against what the store recorded. */
  private Plan plan(Map<String, String> args) throws Exception {
    return Planner.plan(
        GraphBuilder.build(ProjectLoader.load(project), args),
        LockFile.read(project.resolve("strata.lock")),
        ImageBuilder.storeResolver(store),
        new StoreBuildState(store, project));
  }

  private static NodeResult result(List<NodeResult> results, String node) {
    return results.stream().filter(r -> r.node().equals(node)).findFirst().orElseThrow();
  }

  @Test
  void aParentRebuiltByteIdenticallyDoesNotRebuildItsChild() throws Exception {
    List<NodeResult> before = TestBuilds.build(store, project, EPOCH, Map.of());

    List<NodeResult> after = TestBuilds.build(store, project, EPOCH, Map.of("REV", "2"));

    NodeResult parent = result(after, "parent");
    assertThat(parent.stepsBuilt()).as("the parent's COPY ran again").isPositive();
    assertThat(parent.config()).isEqualTo(result(before, "parent").config());
    NodeResult child = result(after, "child");
    assertThat(child.stepsBuilt()).as("the child reused every step").isZero();
    assertThat(child.manifest()).isEqualTo(result(before, "child").manifest());

    var plan = plan(Map.of("REV", "2"));
    assertThat(plan.rebuilds()).extracting(NodePlan::node).isEmpty();
  }

  @Test
  void aCommentInTheParentsContainerfileRunsNoStepOfItsChildAndRelabelsIt() throws Exception {
    List<NodeResult> before = TestBuilds.build(store, project, EPOCH, Map.of());
    Path containerfile = project.resolve("parent/Containerfile");
    Files.writeString(containerfile, "# welcome message\n" + Files.readString(containerfile));
    var plan = plan(Map.of());
    assertThat(plan.rebuilds()).extracting(NodePlan::node).isEmpty();

    List<NodeResult> after = TestBuilds.build(store, project, EPOCH, Map.of());

    NodeResult parent = result(after, "parent");
    assertThat(parent.stepsBuilt()).isZero();
    assertThat(parent.manifest())
        .as("its Containerfile digest label moved")
        .isNotEqualTo(result(before, "parent").manifest());
    NodeResult child = result(after, "child");
    assertThat(child.stepsBuilt()).as("the child reused every step").isZero();
    ImageConfig childConfig = ImageConfig.parse(store.readBlob(child.config()));
    assertThat(
            childConfig
                .configField("Labels")
                .orElseThrow()
                .path(ProvenanceLabels.PARENT_DIGEST)
                .asText())
        .isEqualTo(parent.manifest().toString());
  }

  @Test
  void aParentRebuiltToAnotherImageRebuildsItsChild() throws Exception {
    Files.writeString(project.resolve("parent/motd"), "welcome, again\n");

    List<NodeResult> after = TestBuilds.build(store, project, EPOCH, Map.of());

    assertThat(result(after, "parent").stepsBuilt()).isPositive();
    assertThat(result(after, "child").stepsBuilt()).isPositive();
  }

  @Test
  void beforeTheParentIsRebuiltThePlanSaysTheChildDependsOnItsResult() throws Exception {
    var plan = plan(Map.of("REV", "2"));

    assertThat(plan.rebuilds()).extracting(NodePlan::node).containsExactly("parent", "child");
    assertThat(plan.rebuilds().get(1).reasons())
        .singleElement()
        .satisfies(r -> assertThat(r.describe()).contains("rebuild if its result changes"));
  }
}
