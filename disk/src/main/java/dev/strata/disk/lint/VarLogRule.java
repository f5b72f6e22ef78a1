package dev.strata.disk.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** bootc's {@code var-log}: log files written during the build ship as stale state. */
final class VarLogRule implements LintRule {
  @Override
  public String name() {
    return "var-log";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    if (!image.isDirectory("var/log")) {
      return List.of();
    }
    List<String> logs;
    try (Stream<Path> walk = Files.walk(image.path("var/log"))) {
      logs =
          walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
              .filter(VarLogRule::nonEmpty)
              .map(p -> "/" + image.rootfs().relativize(p))
              .sorted()
              .toList();
    }
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

  private static boolean nonEmpty(Path p) {
    try {
      return Files.size(p) > 0;
    } catch (IOException e) {
      return true;
    }
  }
}
