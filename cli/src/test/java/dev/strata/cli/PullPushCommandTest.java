package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage and error paths of strata pull/push that need no registry (the transfers themselves are
 * covered against a real registry in buildkit-bridge).
 */
class PullPushCommandTest {
  @TempDir Path tmp;

  @Test
  void anInvalidReferenceIsAUsageError() {
    CliRun run = CliRun.of("pull", "--store", tmp.toString(), "Not A Ref");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("REF 'Not A Ref' is not an image reference");
  }

  @Test
  void pushingARefTheStoreLacksFailsAndNamesTheStore() {
    CliRun run =
        CliRun.of("push", "--store", tmp.toString(), "corp/none:1", "localhost:1/corp/none:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no image 'corp/none:1' in the store " + tmp);
  }

  @Test
  void anUnreachableRegistryIsReportedWithoutATrace() {
    // Port 1 on loopback refuses connections; marked insecure so plain HTTP is also tried.
    CliRun run =
        CliRun.of(
            "pull",
            "--store",
            tmp.toString(),
            "--insecure-registry",
            "127.0.0.1:1",
            "127.0.0.1:1/corp/base:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("127.0.0.1:1 is unreachable").doesNotContain("\tat ");
  }
}
