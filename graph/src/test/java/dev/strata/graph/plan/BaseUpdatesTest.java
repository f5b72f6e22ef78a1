package dev.strata.graph.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.ProjectFixture;
import dev.strata.graph.project.ProjectLoader;
import dev.strata.graph.render.PlanRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which external images a graph reads, and what moving their pins in strata.lock rebuilds. */
class BaseUpdatesTest {
  private static final String DEBIAN = "docker.io/library/debian:bookworm";
  private static final String TOOLS = "registry.corp/tools:1";
  private static final String GOLANG = "docker.io/library/golang:1.22";
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);
  private static final String D3 = "sha256:" + "3".repeat(64);

  @TempDir Path dir;
  private DerivationGraph graph;
  private LockFile lock;

  @BeforeEach
  void project() throws IOException {
    ProjectFixture p = new ProjectFixture(dir);
    p.write(
        "strata.yaml",
        """
        images:
          base: { containerfile: base/Containerfile, aliases: [corp/base] }
          soe: { containerfile: soe/Containerfile, aliases: [corp/soe] }
          db: { containerfile: db/Containerfile }
          web: { containerfile: web/Containerfile }
        """);
    p.write(
        "strata.lock",
        "bases:\n  "
            + DEBIAN
            + ": "
            + D1
            + "\n  "
            + TOOLS
            + ": "
            + D1
            + "\n  "
            + GOLANG
            + ": "
            + D1
            + "\n");
    p.write("base/Containerfile", "FROM debian:bookworm\nCOPY motd /etc/motd\n");
    p.write("base/motd", "hi\n");
    p.write(
        "soe/Containerfile", "FROM corp/base\nCOPY --from=registry.corp/tools:1 /bin/t /bin/t\n");
    p.write(
        "db/Containerfile",
        "FROM golang:1.22 AS build\nRUN go build -o /app .\n"
            + "FROM corp/soe\nCOPY --from=build /app /usr/bin/app\n");
    p.write(
        "web/Containerfile",
        "FROM corp/soe\nCOPY --from=docker.io/library/busybox@sha256:"
            + "4".repeat(64)
            + " /bin/busybox /bin/busybox\n");
    var project = ProjectLoader.load(dir);
    graph = GraphBuilder.build(project);
    lock = LockFile.read(project.lockFile());
  }

  @Test
  void externalImagesAreEveryFromAndCopyFromOutsideTheGraphWithTheirReaders() {
    assertThat(BaseUpdates.externalImages(graph))
        .containsExactly(
            Map.entry(DEBIAN, List.of("base")),
            Map.entry(GOLANG, List.of("db")),
            Map.entry(TOOLS, List.of("soe")));
  }

  @Test
  void movingTheRootBasePlansEveryNodeBelowIt() {
    Plan plan = BaseUpdates.rebuilds(graph, lock, Map.of(DEBIAN, D2));

    assertThat(plan.rebuilds())
        .extracting(NodePlan::node)
        .containsExactly("base", "soe", "db", "web");
    assertThat(PlanRenderer.text(plan))
        .contains(
            "base: rebuild from step 1", "base digest moved: " + DEBIAN + " " + D1 + " → " + D2)
        .contains("parent rebuilt: base");
    assertThat(BaseUpdates.affected(graph, BaseUpdates.externalImages(graph), DEBIAN))
        .containsExactly("base", "soe", "db", "web");
    assertThat(lock.digest(DEBIAN)).as("the lock itself is untouched").contains(D1);
  }

  @Test
  void aBuilderStageBasePlansOnlyItsNodeAndWhatDerivesFromIt() {
    Plan plan = BaseUpdates.rebuilds(graph, lock, Map.of(GOLANG, D3));

    assertThat(plan.rebuilds()).extracting(NodePlan::node).containsExactly("db");
  }

  @Test
  void unchangedDigestsPlanNothing() {
    Plan plan = BaseUpdates.rebuilds(graph, lock, Map.of(DEBIAN, D1, TOOLS, D1, GOLANG, D1));

    assertThat(plan.rebuilds()).isEmpty();
  }
}
