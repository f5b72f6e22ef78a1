package dev.strata.disk.lint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * bootc's {@code kernel} lint, made exact for disk images: exactly one {@code
 * /usr/lib/modules/$kver} holding {@code vmlinuz} and {@code initramfs.img}, which is where bootc
 * and the disk builder take the kernel from.
 */
final class KernelRule implements LintRule {
  @Override
  public String name() {
    return "kernel";
  }

  @Override
  public List<LintFinding> check(LintedImage image) throws IOException {
    List<String> versions = new ArrayList<>();
    for (String name : image.list("usr/lib/modules")) {
      if (image.isDirectory("usr/lib/modules/" + name)) {
        versions.add(name);
      }
    }
    if (versions.isEmpty()) {
      return List.of(
          fatal(
              "no kernel: /usr/lib/modules has no $kver directory; install a kernel package",
              List.of("/usr/lib/modules")));
    }
    if (versions.size() > 1) {
      return List.of(
          fatal(
              versions.size()
                  + " kernels where bootc needs exactly one; remove all but one of them",
              versions.stream().map(v -> "/usr/lib/modules/" + v).toList()));
    }
    String dir = "usr/lib/modules/" + versions.get(0);
    List<LintFinding> findings = new ArrayList<>();
    for (String file : List.of("vmlinuz", "initramfs.img")) {
      if (!image.exists(dir + "/" + file)) {
        String hint =
            file.equals("vmlinuz")
                ? "copy the kernel there (Debian installs it as /boot/vmlinuz-$kver)"
                : "generate it there (dracut or update-initramfs, then move it from /boot)";
        findings.add(
            fatal(
                "kernel " + versions.get(0) + " has no " + file + "; " + hint,
                List.of("/" + dir + "/" + file)));
      }
    }
    return findings;
  }

  private LintFinding fatal(String message, List<String> paths) {
    return new LintFinding(name(), Severity.FATAL, message, paths);
  }
}
