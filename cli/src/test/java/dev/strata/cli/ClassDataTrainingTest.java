package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataTrainingTest {
  @TempDir Path scratch;

  /** A training command that fails loads only part of what it should archive. */
  @Test
  void everyTrainingCommandSucceedsAndTheSmallProjectIsBuilt() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    assertThat(repo.resolve("examples/soe/strata.yaml")).exists();

    assertThat(ClassDataTraining.train(repo, scratch)).isEmpty();

    assertThat(Files.readString(scratch.resolve("store/index.json"))).contains("training/app");
  }
}
