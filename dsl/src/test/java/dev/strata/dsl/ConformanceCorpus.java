package dev.strata.dsl;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the BuildKit conformance corpus is: the directory in system property {@code
 * strata.conformance.dir} (set by the root pom). The corpus lives outside the project, so a
 * checkout without it skips the conformance tests, except on CI ({@code CI=true}), where a missing
 * corpus is a failure rather than silently less coverage.
 */
public final class ConformanceCorpus {
  public static final String PROPERTY = "strata.conformance.dir";

  private ConformanceCorpus() {}

  /** The corpus root; aborts (skips) the calling test when absent, or fails it on CI. */
  public static Path root() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path dir = Path.of(configured);
      if (Files.isDirectory(dir)) {
        return dir;
      }
    }
    String message =
        "BuildKit conformance corpus not found (system property "
            + PROPERTY
            + " = "
            + configured
            + ")";
    if ("true".equals(System.getenv("CI"))) {
      return Assertions.fail(message + "; CI=true requires it");
    }
    return Assumptions.abort(message + "; skipping");
  }
}
