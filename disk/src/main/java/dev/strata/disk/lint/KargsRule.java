package dev.strata.disk.lint;

import dev.strata.disk.build.KernelArguments;
import java.io.IOException;
import java.util.List;

/** bootc's {@code bootc-kargs}: every {@code /usr/lib/bootc/kargs.d/*.toml} must parse. */
final class KargsRule implements LintRule {
  private static final String KARGS_D = KernelArguments.KARGS_D.substring(1);

  @Override
  public String name() {
    return "bootc-kargs";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    List<String> tomls = image.list(KARGS_D).stream().filter(n -> n.endsWith(".toml")).toList();
    if (tomls.isEmpty()) {
      return List.of();
    }
    try {
      // the disk builder's parser is the one that judges them
      KernelArguments.fromImage(image.view(), "x86_64");
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(
          new LintFinding(
              name(), Severity.FATAL, e.getMessage(), List.of(KernelArguments.KARGS_D)));
    }
  }
}
