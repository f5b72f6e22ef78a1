package dev.strata.disk.lint;

import java.io.IOException;
import java.util.List;

/** bootc's {@code nonempty-boot}: bootc fills /boot at install; content shipped there is lost. */
final class BootEmptyRule implements LintRule {
  @Override
  public String name() {
    return "nonempty-boot";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    List<String> entries = image.list("boot");
    if (entries.isEmpty()) {
      return List.of();
    }
    return List.of(
        new LintFinding(
            name(),
            Severity.WARNING,
            "/boot is not empty; bootc installs the kernel there itself: move the kernel and"
                + " initramfs to /usr/lib/modules/$kver and empty /boot",
            Paths.sample("/boot/", entries)));
  }
}
