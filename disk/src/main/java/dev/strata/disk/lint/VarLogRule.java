package dev.strata.disk.lint;

import java.io.IOException;
import java.util.List;

/** bootc's {@code var-log}: log files written during the build ship as stale state. */
final class VarLogRule implements LintRule {
  @Override
  public String name() {
    return "var-log";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    List<String> logs = image.nonEmptyFiles("var/log");
    if (logs.isEmpty()) {
      return List.of();
    }
    return List.of(
        new LintFinding(
            name(),
            Severity.WARNING,
            logs.size() + " non-empty log files from the build; delete them in the Containerfile",
            Paths.sample("", logs)));
  }
}
