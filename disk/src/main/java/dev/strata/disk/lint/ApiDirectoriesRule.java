package dev.strata.disk.lint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** bootc's {@code api-base-directories}: the kernel API mount points must be directories. */
final class ApiDirectoriesRule implements LintRule {
  private static final List<String> DIRECTORIES =
      List.of("dev", "proc", "sys", "run", "tmp", "var");

  @Override
  public String name() {
    return "api-base-directories";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    List<String> missing = new ArrayList<>();
    for (String dir : DIRECTORIES) {
      if (!image.isDirectory(dir)) {
        missing.add("/" + dir);
      }
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    return List.of(
        new LintFinding(
            name(),
            Severity.FATAL,
            "missing or not a directory: the system mounts its API filesystems there",
            missing));
  }
}
