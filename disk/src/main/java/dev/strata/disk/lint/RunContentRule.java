package dev.strata.disk.lint;

import java.io.IOException;
import java.util.List;

/** Content under /run is hidden by the tmpfs mounted there at boot, so it is never seen. */
final class RunContentRule implements LintRule {
  @Override
  public String name() {
    return "run-content";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    List<String> entries = image.list("run");
    if (entries.isEmpty()) {
      return List.of();
    }
    return List.of(
        new LintFinding(
            name(),
            Severity.WARNING,
            "/run has content, which the tmpfs mounted there at boot hides; create it at boot"
                + " with tmpfiles.d",
            Paths.sample("/run/", entries)));
  }
}
