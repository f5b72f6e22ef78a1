package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.graph.project.Containerfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Containerfile shipped under {@code examples/} parses, types and expands cleanly. */
class ExamplesParseTest {
  // Surefire runs in the module folder; the examples are at the repository root.
  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  @Test
  void everyExampleContainerfileParses() throws IOException {
    List<Path> containerfiles;
    try (Stream<Path> walk = Files.walk(EXAMPLES)) {
      containerfiles =
          walk.filter(p -> Containerfiles.isContainerfileName(p.getFileName().toString())).toList();
    }
    assertThat(containerfiles).hasSizeGreaterThanOrEqualTo(6);

    CliRun run = CliRun.of("parse", EXAMPLES.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    for (Path file : containerfiles) {
      assertThat(run.out()).contains(file + ": ok");
    }
  }
}
