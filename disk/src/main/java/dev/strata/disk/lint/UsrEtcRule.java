package dev.strata.disk.lint;

import java.io.IOException;
import java.util.List;

/**
 * bootc's {@code etc-usretc}: {@code /usr/etc} is ostree's internal copy of /etc, never content.
 */
final class UsrEtcRule implements LintRule {
  @Override
  public String name() {
    return "etc-usretc";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    if (!image.exists("usr/etc")) {
      return List.of();
    }
    return List.of(
        new LintFinding(
            name(),
            Severity.FATAL,
            "/usr/etc exists; it is reserved for ostree's copy of /etc: put the files in /etc",
            List.of("/usr/etc")));
  }
}
