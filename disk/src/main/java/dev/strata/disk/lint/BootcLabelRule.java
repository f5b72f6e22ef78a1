package dev.strata.disk.lint;

import java.util.List;

/** bootc recommends {@code LABEL containers.bootc 1}; bootc switch needs it or ostree.bootable. */
final class BootcLabelRule implements LintRule {
  static final String LABEL = "containers.bootc";

  @Override
  public String name() {
    return "bootc-label";
  }

  @Override
  public List<LintFinding> check(LintedImage image) {
    if ("1".equals(image.labels().get(LABEL))) {
      return List.of();
    }
    String found =
        image.labels().containsKey(LABEL) ? " (it is '" + image.labels().get(LABEL) + "')" : "";
    return List.of(
        new LintFinding(
            name(),
            Severity.WARNING,
            "label " + LABEL + "=1 is missing" + found + "; add 'LABEL containers.bootc 1'",
            List.of()));
  }
}
