package dev.strata.graph.plan;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import dev.strata.graph.ProjectFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata.lock accepts only digests, and says where it is wrong. */
class LockFileTest {
  @TempDir Path dir;

  @Test
  void aPinThatIsNotADigestIsAnErrorAtItsLine() {
    Path lock = new ProjectFixture(dir).write("strata.lock", "bases:\n  debian: latest\n");
    assertThatThrownBy(() -> LockFile.read(lock))
        .isInstanceOf(ContainerfileException.class)
        .hasMessageContaining("strata.lock:2:")
        .hasMessageContaining("must be a digest");
  }
}
