package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.bridge.fs.Posix;
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

  /** As root the training also writes a disk image, so `strata disk` starts from the archive. */
  @Test
  void asRootTheTrainingWritesARawDiskOfTheSmallProject() throws Exception {
    assumeTrue(Posix.isRoot(), "native disk images need root (CI runs as root)");
    Path repo = Path.of("..").toAbsolutePath().normalize();

    assertThat(ClassDataTraining.train(repo, scratch)).isEmpty();

    assertThat(scratch.resolve("disk/image/disk.raw")).isRegularFile();
    assertThat(scratch.resolve("disk/manifest-strata.json")).isRegularFile();
  }
}
