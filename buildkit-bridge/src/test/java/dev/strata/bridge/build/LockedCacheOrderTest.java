package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.run.BuildSecrets;
import dev.strata.bridge.run.SandboxRunStep;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Siblings that build together and share a locked cache mount take it longest first, by their last
 * build times, whoever asks first (real runc, two jobs).
 */
class LockedCacheOrderTest {
  @TempDir Path tmp;
  private OciLayoutStore store;
  private Path project;

  @BeforeEach
  void setUp() throws Exception {
    TestBuilds.requireRoot();
    store = TestBuilds.storeWithBase(tmp.resolve("store"), Optional.empty());
    project = tmp.resolve("project");
    TestBuilds.context(
        project.resolve("parent"),
        "FROM " + TestBuilds.BASE + "\nARG REV=1\nRUN echo $REV > /rev\n",
        Map.of());
    // long asks for the cache ~0.3 s after short does, then holds it and takes longer.
    TestBuilds.context(
        project.resolve("long"),
        "FROM parent\nRUN sleep 0.3\n"
            + "RUN --mount=type=cache,id=shared,target=/c,sharing=locked"
            + " sh -c 'echo \"$(cat /rev) long\" >> /c/log; sleep 1.5'\n"
            + "ARG TAIL=1\nRUN echo $TAIL > /tail\n",
        Map.of());
    TestBuilds.context(
        project.resolve("short"),
        "FROM parent\n"
            + "RUN --mount=type=cache,id=shared,target=/c,sharing=locked"
            + " sh -c 'echo \"$(cat /rev) short\" >> /c/log'\n",
        Map.of());
  }

  private BuildReport build(String rev) throws Exception {
    ProjectConfig config = ProjectLoader.load(project);
    DerivationGraph graph = GraphBuilder.build(config, Map.of("REV", rev));
    BuildReport report =
        TestBuilds.builder(store, Optional.empty(), runStep())
            .build(graph, List.of(), LockFile.read(config.lockFile()), 2, false);
    assertThat(report.failures()).isEmpty();
    assertThat(report.results()).allMatch(r -> r.stepsBuilt() > 0);
    return report;
  }

  private RunStep runStep() {
    return SandboxRunStep.inStore(store.root(), Optional.empty(), BuildSecrets.NONE);
  }

  /** The lines the RUNs wrote to the shared cache, in the order they took it. */
  private List<String> log() throws Exception {
    try (Stream<Path> files = Files.walk(store.root().resolve("cache/mounts"))) {
      Path log = files.filter(p -> p.getFileName().toString().equals("log")).findFirst().get();
      return Files.readAllLines(log);
    }
  }

  @Test
  void theSiblingThatTookLongerLastTimeTakesTheCacheFirst() throws Exception {
    build("1"); // no times recorded yet: first come, first served

    build("2"); // parent's RUN changed, so both children run again

    List<String> lines = log();
    assertThat(lines.subList(lines.size() - 2, lines.size()))
        .as("long took ~1.8 s last time and short ~0.1 s: long goes first though short asked first")
        .containsExactly("2 long", "2 short");
  }

  @Test
  void aNodeRecordsItsBuildTimeWithoutItsWaitForTheCache() throws Exception {
    build("1");

    BuildReport second = build("2"); // short waits for long's 1.5 s RUN
    NodeResult shortResult =
        second.results().stream().filter(r -> r.node().equals("short")).findFirst().get();

    assertThat(shortResult.time()).isGreaterThan(Duration.ofMillis(1500));
    assertThat(new StoreBuildState(store, project).lastSeconds("short").orElseThrow())
        .as("the recorded time leaves the wait out, so the order holds next time")
        .isLessThan(1.0);
  }

  @Test
  void stepsTakenFromTheCacheKeepTheTimesRecordedWhenTheyRan() throws Exception {
    build("1");
    StoreBuildState state = new StoreBuildState(store, project);
    double recorded = state.lastSeconds("long").orElseThrow();
    assertThat(recorded).isGreaterThan(1.5);

    TestBuilds.build(store, project, Optional.empty(), Map.of("REV", "1"), runStep());
    assertThat(state.lastSeconds("long")).as("a build that reused every step").hasValue(recorded);

    TestBuilds.build(store, project, Optional.empty(), Map.of("REV", "1", "TAIL", "2"), runStep());
    assertThat(state.lastSeconds("long").orElseThrow())
        .as("only the last step ran again; the cache RUN keeps its 1.5 s")
        .isGreaterThan(1.5);
  }
}
