package dev.strata.disk.lint;

import java.io.IOException;
import java.util.List;

/** bootc's {@code var-run}: /var/run must be the symlink to /run, never a directory. */
final class VarRunRule implements LintRule {
  @Override
  public String name() {
    return "var-run";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    if (!image.exists("var/run") || image.isSymbolicLink("var/run")) {
      return List.of();
    }
    return List.of(
        new LintFinding(
            name(),
            Severity.FATAL,
            "/var/run is not a symlink; make it 'var/run -> ../run'",
            List.of("/var/run")));
  }
}
