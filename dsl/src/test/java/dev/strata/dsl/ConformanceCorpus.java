package dev.strata.dsl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where BuildKit's parser conformance corpus is: upstream data kept outside the project, at the
 * path in system property {@code strata.conformance.dir}. Without it a test is skipped with a
 * message, except under CI ({@code CI=true}), where its absence fails the build.
 */
public final class ConformanceCorpus {
  private ConformanceCorpus() {}

  /** The corpus root ({@code …/conformance/buildkit}). */
  public static Path root() {
    String configured = System.getProperty("strata.conformance.dir");
    Path root = configured == null ? null : Path.of(configured).toAbsolutePath().normalize();
    boolean present = root != null && Files.isDirectory(root.resolve("parser"));
    if (!present) {
      String message =
          "BuildKit conformance corpus not found at "
              + root
              + " (set -Dstrata.conformance.dir=…/shared/conformance/buildkit)";
      if ("true".equals(System.getenv("CI"))) {
        fail(message);
      }
      assumeTrue(false, message);
    }
    return root;
  }

  /** A JSON file of {@code extracted/}. */
  public static JsonNode extracted(String name) {
    try {
      return new ObjectMapper().readTree(root().resolve("extracted").resolve(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
