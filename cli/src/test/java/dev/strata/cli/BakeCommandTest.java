package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata bake} on examples/soe, read back by the real {@code docker buildx bake --print}
 * (buildx 0.13, installed by the setup script): bake accepts the file and sees the graph.
 */
class BakeCommandTest {
  private static final Path EXAMPLES = Path.of("..", "examples", "soe").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void buildxBakeReadsTheFileWithEveryNodeAndEdge() throws Exception {
    Path file = dir.resolve("docker-bake.json");
    CliRun run = CliRun.of("bake", EXAMPLES.toString(), "--output", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();

    JsonNode printed = buildxBakePrint(file);

    assertThat(printed.at("/group/default/targets"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("base", "soe", "db-server", "web-server");
    assertThat(printed.at("/target/web-server/contexts/corp~1soe").asText())
        .isEqualTo("target:soe");
    assertThat(printed.at("/target/soe/contexts/corp~1base").asText()).isEqualTo("target:base");
    assertThat(dir.resolve(printed.at("/target/db-server/context").asText()).normalize())
        .isEqualTo(EXAMPLES.resolve("db-server").normalize());
    assertThat(printed.at("/target/db-server/tags/0").asText()).isEqualTo("db-server:latest");
  }

  @Test
  void writesBesideStrataYamlByDefault() throws IOException {
    Path project = dir.resolve("p");
    Files.createDirectories(project.resolve("a"));
    Files.writeString(project.resolve("a/Containerfile"), "FROM scratch\n");

    CliRun run = CliRun.of("bake", project.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(project.resolve("docker-bake.json")).exists();
  }

  private JsonNode buildxBakePrint(Path file) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("docker", "buildx", "bake", "--print", "-f", file.toString())
            .directory(dir.toFile())
            .redirectError(dir.resolve("bake.err").toFile())
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as("docker buildx bake --print: %s", Files.readString(dir.resolve("bake.err")))
        .isZero();
    return new ObjectMapper().readTree(out);
  }
}
