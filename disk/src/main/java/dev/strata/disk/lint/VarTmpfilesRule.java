package dev.strata.disk.lint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * bootc's {@code var-tmpfiles}: image content in /var is copied only at the first install and never
 * updated, so everything there should come from tmpfiles.d. Reports the topmost entries without a
 * tmpfiles.d line (a covered directory is searched further; an uncovered one is not).
 */
final class VarTmpfilesRule implements LintRule {
  @Override
  public String name() {
    return "var-tmpfiles";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    if (!image.isDirectory("var")) {
      return List.of();
    }
    TmpfilesEntries tmpfiles = TmpfilesEntries.of(image);
    List<String> unmanaged = new ArrayList<>();
    collect(image, "var", tmpfiles, unmanaged);
    if (unmanaged.isEmpty()) {
      return List.of();
    }
    return List.of(
        new LintFinding(
            name(),
            Severity.WARNING,
            unmanaged.size()
                + " entries in /var have no tmpfiles.d line; /var content ships only at first"
                + " install: create it with tmpfiles.d (or move it under /usr)",
            Paths.sample("", unmanaged)));
  }

  private static void collect(
      LintedImage image, String rel, TmpfilesEntries tmpfiles, List<String> out)
      throws IOException {
    for (String name : image.list(rel)) {
      String child = rel + "/" + name;
      if (!tmpfiles.covers("/" + child)) {
        out.add("/" + child);
      } else if (image.isDirectory(child)) {
        collect(image, child, tmpfiles, out);
      }
    }
  }
}
