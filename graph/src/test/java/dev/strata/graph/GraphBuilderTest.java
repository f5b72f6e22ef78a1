package dev.strata.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import dev.strata.graph.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How FROM, COPY --from and mounts become edges between nodes. */
class GraphBuilderTest {
  @TempDir Path dir;

  private DerivationGraph graph() throws IOException {
    return GraphBuilder.build(ProjectLoader.load(dir));
  }

  private DerivationGraph graph(Map<String, String> args) throws IOException {
    return GraphBuilder.build(ProjectLoader.load(dir), args);
  }

  private ProjectFixture project() {
    return new ProjectFixture(dir);
  }

  @Test
  void aliasInFromNamesTheNode() throws IOException {
    ProjectFixture p = project();
    p.write(
        "strata.yaml",
        """
        images:
          soe: { containerfile: soe/Containerfile, image: corp-soe, aliases: [corp-repo/corp-soe] }
          db: { containerfile: db/Containerfile }
        """);
    p.write("soe/Containerfile", "FROM rhel9/rhel-bootc\n");
    p.write("db/Containerfile", "FROM corp-repo/corp-soe:latest\n");

    assertThat(graph().node("db").orElseThrow().parent()).contains("soe");
  }

  @Test
  void matchingNormalisesRegistryLibraryAndDefaultTag() throws IOException {
    ProjectFixture p = project();
    p.write(
        "strata.yaml",
        """
        images:
          base: { containerfile: base/Containerfile, image: base }
          a: { containerfile: a/Containerfile }
          b: { containerfile: b/Containerfile }
          c: { containerfile: c/Containerfile }
        """);
    p.write("base/Containerfile", "FROM debian\n");
    p.write("a/Containerfile", "FROM docker.io/library/base:latest\n");
    p.write("b/Containerfile", "FROM library/base\n");
    p.write("c/Containerfile", "FROM base:other\n");

    DerivationGraph graph = graph();
    assertThat(graph.node("a").orElseThrow().parent()).contains("base");
    assertThat(graph.node("b").orElseThrow().parent()).contains("base");
    assertThat(graph.node("c").orElseThrow().parent()).isEmpty();
    assertThat(graph.node("c").orElseThrow().externalBase())
        .contains("docker.io/library/base:other");
    assertThat(graph.node("base").orElseThrow().externalBase())
        .contains("docker.io/library/debian:latest");
  }

  @Test
  void registryQualifiedNameNamesTheNode() throws IOException {
    ProjectFixture p = project();
    p.write(
        "strata.yaml",
        """
        registry: localhost:5000/corp
        images:
          soe: { containerfile: soe/Containerfile }
          web: { containerfile: web/Containerfile }
        """);
    p.write("soe/Containerfile", "FROM debian\n");
    p.write("web/Containerfile", "FROM localhost:5000/corp/soe\n");

    DerivationGraph graph = graph();
    assertThat(graph.node("web").orElseThrow().parent()).contains("soe");
    assertThat(graph.node("soe").orElseThrow().imageReference())
        .isEqualTo("localhost:5000/corp/soe:latest");
  }

  @Test
  void argExpandedFromResolvesWithDefaultsAndBuildArgs() throws IOException {
    ProjectFixture p = project();
    p.write(
        "strata.yaml",
        """
        images:
          base: { containerfile: base/Containerfile }
          soe: { containerfile: soe/Containerfile }
          role: { containerfile: role/Containerfile }
        """);
    p.write("base/Containerfile", "FROM debian\n");
    p.write("soe/Containerfile", "FROM debian\n");
    p.write("role/Containerfile", "ARG PARENT=base\nFROM ${PARENT}\n");

    assertThat(graph().node("role").orElseThrow().parent()).contains("base");
    assertThat(graph(Map.of("PARENT", "soe")).node("role").orElseThrow().parent()).contains("soe");
  }

  @Test
  void internalStagesOfAMultiStageFileAreNotNodes() throws IOException {
    ProjectFixture p = project();
    p.write(
        "strata.yaml",
        """
        images:
          soe: { containerfile: soe/Containerfile }
          app: { containerfile: app/Containerfile }
        """);
    p.write("soe/Containerfile", "FROM debian\n");
    p.write(
        "app/Containerfile",
        """
        FROM golang AS build
        RUN go build -o /out/app .
        FROM build AS test
        RUN go test ./...
        FROM soe
        COPY --from=build /out/app /usr/bin/app
        """);

    DerivationGraph graph = graph();
    assertThat(graph.nodes()).extracting(Node::name).containsExactly("soe", "app");
    Node app = graph.node("app").orElseThrow();
    assertThat(app.parent()).contains("soe");
    assertThat(app.stages()).containsExactly(0, 2);
    assertThat(graph.incoming("app")).extracting(Edge::parent).containsExactly("soe");
  }

  @Test
  void copyFromAnImageOfAnotherNodeIsAnEdge() throws IOException {
    ProjectFixture p = project();
    p.write(
        "strata.yaml",
        """
        images:
          tools: { containerfile: tools/Containerfile, image: corp/tools }
          soe: { containerfile: soe/Containerfile }
        """);
    p.write("tools/Containerfile", "FROM debian\n");
    p.write("soe/Containerfile", "FROM debian\nCOPY --from=corp/tools /usr/bin/t /usr/bin/t\n");

    DerivationGraph graph = graph();
    assertThat(graph.incoming("soe"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.parent()).isEqualTo("tools");
              assertThat(e.kind()).isEqualTo(EdgeKind.COPY_FROM);
              assertThat(e.position().line()).isEqualTo(2);
            });
    assertThat(graph.node("soe").orElseThrow().parent()).isEmpty();
    assertThat(graph.wave("soe")).isEqualTo(2);
  }

  @Test
  void mountFromAnImageOfAnotherNodeIsAnEdge() throws IOException {
    ProjectFixture p = project();
    p.write(
        "strata.yaml",
        """
        images:
          tools: { containerfile: tools/Containerfile }
          soe: { containerfile: soe/Containerfile }
        """);
    p.write("tools/Containerfile", "FROM debian\n");
    p.write("soe/Containerfile", "FROM debian\nRUN --mount=from=tools,target=/t /t/install\n");

    assertThat(graph().incoming("soe")).extracting(Edge::kind).containsExactly(EdgeKind.MOUNT_FROM);
  }

  @Test
  void aCycleIsAnErrorShowingEachFrom() {
    ProjectFixture p = project();
    p.write(
        "strata.yaml",
        """
        images:
          a: { containerfile: a/Containerfile }
          b: { containerfile: b/Containerfile }
          c: { containerfile: c/Containerfile }
        """);
    p.write("a/Containerfile", "# a\nFROM c\n");
    p.write("b/Containerfile", "FROM a\n");
    p.write("c/Containerfile", "FROM b\n");

    assertThatThrownBy(this::graph)
        .isInstanceOf(ContainerfileException.class)
        .satisfies(
            e -> {
              String text = ((ContainerfileException) e).render();
              assertThat(text).contains("cycle in the derivation graph: a → b → c → a");
              assertThat(text).contains("b/Containerfile:1: b: FROM a");
              assertThat(text).contains("c/Containerfile:1: c: FROM b");
              assertThat(text).contains("a/Containerfile:2: a: FROM c");
            });
  }

  @Test
  void aNodeDerivingFromItselfIsACycle() {
    ProjectFixture p = project();
    p.write("strata.yaml", "images:\n  a: { containerfile: a/Containerfile }\n");
    p.write("a/Containerfile", "FROM a\n");

    assertThatThrownBy(this::graph).hasMessageContaining("cycle in the derivation graph: a → a");
  }

  @Test
  void anAmbiguousMatchNamesBothNodes() {
    ProjectFixture p = project();
    p.write(
        "strata.yaml",
        """
        images:
          soe: { containerfile: soe/Containerfile, aliases: [corp/soe] }
          soe2: { containerfile: soe2/Containerfile, image: corp/soe }
          web: { containerfile: web/Containerfile }
        """);
    p.write("soe/Containerfile", "FROM debian\n");
    p.write("soe2/Containerfile", "FROM debian\n");
    p.write("web/Containerfile", "FROM corp/soe\n");

    assertThatThrownBy(this::graph)
        .isInstanceOf(ContainerfileException.class)
        .hasMessageContaining("web/Containerfile:1:1")
        .hasMessageContaining("'corp/soe' is ambiguous")
        .hasMessageContaining("node 'soe'")
        .hasMessageContaining("node 'soe2'");
  }

  @Test
  void withoutStrataYamlEachContainerfileIsANodeNamedAfterItsFolder() throws IOException {
    ProjectFixture p = project();
    p.write("base/Containerfile", "FROM debian\n");
    p.write("soe/Containerfile", "FROM base\n");
    p.write("roles/web/Dockerfile", "FROM soe\n");
    p.write("roles/db/Containerfile", "FROM soe\n");

    DerivationGraph graph = graph();
    assertThat(graph.nodes()).extracting(Node::name).containsExactly("base", "soe", "db", "web");
    assertThat(graph.children("soe")).extracting(Node::name).containsExactly("db", "web");
    assertThat(graph.waves()).hasSize(3);
  }

  @Test
  void wavesGroupNodesThatCanBuildTogether() throws IOException {
    ProjectFixture p = project();
    p.write("base/Containerfile", "FROM debian\n");
    p.write("soe/Containerfile", "FROM base\n");
    p.write("web/Containerfile", "FROM soe\n");
    p.write("db/Containerfile", "FROM soe\n");
    p.write("other/Containerfile", "FROM fedora\n");

    assertThat(graph().waves())
        .map(w -> w.stream().map(Node::name).toList())
        .containsExactly(
            java.util.List.of("base", "other"),
            java.util.List.of("soe"),
            java.util.List.of("db", "web"));
  }
}
