package dev.strata.disk.lint;

import dev.strata.bridge.fs.FileTrees;
import dev.strata.disk.build.KernelArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
    // KernelArguments parses a rootfs folder: give it one holding just the kargs.d files, so the
    // disk builder's parser is the one that judges them.
    Path copy = Files.createTempDirectory("strata-kargs-");
    try {
      Path dir = Files.createDirectories(copy.resolve(KARGS_D));
      for (String name : tomls) {
        Optional<byte[]> content = image.readFollowing(KARGS_D + "/" + name);
        if (content.isPresent()) {
          Files.write(dir.resolve(name), content.get());
        }
      }
      KernelArguments.fromImage(copy, "x86_64");
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(
          new LintFinding(
              name(), Severity.FATAL, e.getMessage(), List.of(KernelArguments.KARGS_D)));
    } finally {
      FileTrees.delete(copy);
    }
  }
}
