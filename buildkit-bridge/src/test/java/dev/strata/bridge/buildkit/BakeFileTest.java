package dev.strata.bridge.buildkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bake file carries the graph: one target per node, edges as {@code target:} contexts. */
class BakeFileTest {
  @TempDir Path dir;
  private JsonNode bake;

  @BeforeEach
  void soeHierarchy() throws IOException {
    write(
        "strata.yaml",
        """
        registry: localhost:5000/corp
        images:
          base: { containerfile: base/Containerfile, image: base, aliases: [corp/base] }
          soe: { containerfile: soe/Containerfile, image: soe, tags: [latest, "2025.06"], aliases: [corp/soe] }
          db-server: { containerfile: db/Containerfile, image: db-server, args: { PG: "15" } }
          tools: { containerfile: tools/Dockerfile, image: tools, target: final }
        """);
    write("base/Containerfile", "FROM docker.io/library/debian:bookworm\nRUN true\n");
    write("soe/Containerfile", "FROM corp/base\nARG SOE_VERSION=1\nRUN true\n");
    write(
        "db/Containerfile",
        "FROM corp/soe:latest\nARG PG\nCOPY --from=corp/base /etc/os-release /x\n");
    write("tools/Dockerfile", "FROM corp/soe AS build\nRUN true\nFROM build AS final\n");
    var graph = GraphBuilder.build(ProjectLoader.load(dir), Map.of());
    bake =
        new ObjectMapper()
            .readTree(BakeFile.render(graph, dir, Map.of("SOE_VERSION", "2", "UNUSED", "x")));
  }

  private void write(String path, String content) throws IOException {
    Files.createDirectories(dir.resolve(path).getParent());
    Files.writeString(dir.resolve(path), content);
  }

  private List<String> texts(JsonNode array) {
    return new ObjectMapper()
        .convertValue(array, new com.fasterxml.jackson.core.type.TypeReference<>() {});
  }

  @Test
  void theDefaultGroupHoldsEveryNodeParentsFirst() {
    assertThat(texts(bake.at("/group/default/targets")))
        .containsExactly("base", "soe", "db-server", "tools");
  }

  @Test
  void eachTargetHasItsContextContainerfileAndTagsUnderTheRegistry() {
    assertThat(bake.at("/target/db-server/context").asText()).isEqualTo("db");
    assertThat(bake.at("/target/db-server/dockerfile").asText()).isEqualTo("Containerfile");
    assertThat(bake.at("/target/tools/dockerfile").asText()).isEqualTo("Dockerfile");
    assertThat(texts(bake.at("/target/soe/tags")))
        .containsExactly("localhost:5000/corp/soe:latest", "localhost:5000/corp/soe:2025.06");
  }

  @Test
  void graphEdgesBecomeNamedContextsKeyedAsBuildKitLooksThemUp() {
    assertThat(bake.at("/target/soe/contexts/corp~1base").asText()).isEqualTo("target:base");
    assertThat(bake.at("/target/db-server/contexts/corp~1soe").asText()).isEqualTo("target:soe");
    assertThat(bake.at("/target/db-server/contexts/corp~1base").asText()).isEqualTo("target:base");
    assertThat(bake.at("/target/base/contexts").isMissingNode()).isTrue();
  }

  @Test
  void buildArgsGoOnlyToTargetsThatDeclareThemAndTheCommandLineWins() {
    assertThat(bake.at("/target/soe/args/SOE_VERSION").asText()).isEqualTo("2");
    assertThat(bake.at("/target/db-server/args/PG").asText()).isEqualTo("15");
    assertThat(bake.at("/target/db-server/args/SOE_VERSION").isMissingNode()).isTrue();
    assertThat(bake.at("/target/base/args").isMissingNode()).isTrue();
  }

  @Test
  void theTargetStageIsPassedOn() {
    assertThat(bake.at("/target/tools/target").asText()).isEqualTo("final");
  }
}
