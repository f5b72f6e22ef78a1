package dev.strata.disk.lint;

import dev.strata.disk.build.KernelArguments;
import java.io.IOException;
import java.util.List;

/** bootc's {@code bootc-kargs}: every {@code /usr/lib/bootc/kargs.d/*.toml} must parse. */
final class KargsRule implements LintRule {
  @Override
  public String name() {
    return "bootc-kargs";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    try {
      KernelArguments.fromImage(image.rootfs(), "x86_64");
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(
          new LintFinding(
              name(), Severity.FATAL, e.getMessage(), List.of(KernelArguments.KARGS_D)));
    }
  }
}
