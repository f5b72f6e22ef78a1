package dev.strata.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.build.BuildException;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.disk.lint.BootcLint;
import dev.strata.disk.lint.LintFinding;
import dev.strata.disk.lint.LintReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The bootc lint at the end of each bootc node's build (an image labelled {@code
 * containers.bootc=1}): findings are printed; with {@code --strict} any finding fails the build, as
 * {@code bootc container lint --fatal-warnings} does. Reports are kept per image digest ({@code
 * <store>/cache/lint/}), so a node taken whole from the cache is judged again without its rootfs
 * being read again, and a strict build cannot pass an image that failed before.
 */
final class BootcCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<LintFinding>> FINDINGS = new TypeReference<>() {};

  private final Path cache;
  private final boolean strict;
  private final BiConsumer<String, String> notes;

  BootcCheck(Path storeRoot, boolean strict, BiConsumer<String, String> notes) {
    this.cache = storeRoot.resolve("cache").resolve("lint");
    this.strict = strict;
    this.notes = notes;
  }

  /** Whether an image with these labels is a bootc image. */
  static boolean isBootc(Map<String, String> labels) {
    String value = labels.getOrDefault("containers.bootc", "");
    return value.equals("1") || value.equalsIgnoreCase("true");
  }

  /** Whether the report of {@code digest} is known, so its rootfs need not be read. */
  boolean known(Digest digest) {
    return Files.isRegularFile(file(digest));
  }

  /**
   * Lints {@code rootfs} (may be null when {@link #known}) and prints the findings.
   *
   * @throws BuildException with {@code --strict} when there is any finding
   */
  LintReport check(String node, Digest digest, RootfsView rootfs, Map<String, String> labels)
      throws IOException {
    LintReport report;
    boolean cached = known(digest);
    if (cached) {
      report = new LintReport(JSON.readValue(file(digest).toFile(), FINDINGS), List.of());
    } else {
      report = BootcLint.lint(rootfs, labels);
      Files.createDirectories(cache);
      Path temp = Files.createTempFile(cache, ".incoming-", ".json");
      JSON.writeValue(temp.toFile(), report.findings());
      Files.move(temp, file(digest), StandardCopyOption.REPLACE_EXISTING);
    }
    for (LintFinding finding : report.findings()) {
      notes.accept(node, "lint: " + finding.render());
    }
    notes.accept(
        node,
        "lint: "
            + report.findings().size()
            + " finding(s)"
            + (cached ? " (image unchanged since its last check)" : ""));
    if (strict && !report.passes(true)) {
      throw new BuildException(
          "["
              + node
              + "] bootc lint failed with --strict: "
              + report.findings().size()
              + " finding(s) above; fix them, or build without --strict to report them only");
    }
    return report;
  }

  private Path file(Digest digest) {
    return cache.resolve(digest.hex() + ".json");
  }
}
