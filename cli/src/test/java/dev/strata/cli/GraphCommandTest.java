package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata graph} on the examples and on broken projects. */
class GraphCommandTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  @Test
  void soeExampleShowsBaseThenSoeThenBothRoles() {
    CliRun run = CliRun.of("graph", EXAMPLES.resolve("soe").toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "docker.io/library/debian:bookworm  (external base)\n"
                + "└── base  base:latest  (base/Containerfile)\n"
                + "    └── soe  soe:latest  (soe/Containerfile)\n"
                + "        ├── db-server  db-server:latest  (db-server/Containerfile)\n"
                + "        └── web-server  web-server:latest  (web-server/Containerfile)\n");
  }

  @Test
  void rhelExampleShowsRhelBootcThenCorpSoeThenDatabaseServer() {
    CliRun run = CliRun.of("graph", EXAMPLES.resolve("rhel-image-mode").toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "docker.io/rhel9/rhel-bootc:latest  (external base)\n"
                + "└── corp-soe  corp-soe:latest  (corp-soe/Containerfile)\n"
                + "    └── database-server  database-server:latest  (database-server/Containerfile)\n");
  }

  @Test
  void jsonListsNodesEdgesAndWaves() {
    CliRun run = CliRun.of("graph", "--json", EXAMPLES.resolve("soe").toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("\"name\" : \"web-server\"", "\"parent\" : \"soe\"", "\"kind\" : \"FROM\"")
        .contains("\"waves\" : [ [ \"base\" ], [ \"soe\" ], [ \"db-server\", \"web-server\" ] ]");
  }

  @Test
  void dotAndMermaidDrawEveryEdge() {
    String soe = EXAMPLES.resolve("soe").toString();
    assertThat(CliRun.of("graph", "--format", "dot", soe).out())
        .startsWith("strict digraph strata {")
        .contains("n2 -> n3", "n2 -> n4");
    assertThat(CliRun.of("graph", "--format", "mermaid", soe).out())
        .startsWith("flowchart TD")
        .contains("x0 --> n0", "n0 --> n1", "n1 --> n2", "n1 --> n3");
  }

  @Test
  void anInvalidStrataYamlExitsTwoWithItsLine(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("strata.yaml"), "images:\n  a: { containerfile: a/C, colour: x }\n");
    CliRun run = CliRun.of("graph", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("strata.yaml:2:").contains("unknown key 'colour'");
  }
}
