package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.build.BuildException;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.disk.lint.BootcLint;
import dev.strata.disk.lint.LintFinding;
import dev.strata.disk.lint.LintReport;
import dev.strata.disk.lint.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The bootc lint at the end of each bootc node's build (an image labelled {@code
 * containers.bootc=1}): findings are printed; with {@code --strict} any finding fails the build, as
 * {@code bootc container lint --fatal-warnings} does. Reports are kept per image digest ({@code
 * <store>/cache/lint/}), so a node taken whole from the cache is judged again without its rootfs
 * being read again, and a strict build cannot pass an image that failed before.
 */
final class BootcCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

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
      report = new LintReport(read(file(digest)), List.of());
    } else {
      report = BootcLint.lint(rootfs, labels);
      Files.createDirectories(cache);
      Path temp = Files.createTempFile(cache, ".incoming-", ".json");
      JSON.writeValue(temp.toFile(), json(report.findings()));
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

  // The reports are mapped by hand, as Jackson maps the LintFinding record (a list of {rule,
  // severity, message, paths}): its first introspection of a record type costs a few ms of every
  // build that lints or reads a kept report.

  private static ArrayNode json(List<LintFinding> findings) {
    ArrayNode array = JSON.createArrayNode();
    for (LintFinding f : findings) {
      ObjectNode o = array.addObject();
      o.put("rule", f.rule());
      o.put("severity", f.severity().name());
      o.put("message", f.message());
      ArrayNode paths = o.putArray("paths");
      f.paths().forEach(paths::add);
    }
    return array;
  }

  private static List<LintFinding> read(Path file) throws IOException {
    JsonNode array = JSON.readTree(file.toFile());
    List<LintFinding> findings = new ArrayList<>();
    try {
      if (array == null || !array.isArray()) {
        throw new IllegalArgumentException("not a list of findings");
      }
      for (JsonNode o : array) {
        List<String> paths = new ArrayList<>();
        for (JsonNode p : field(o, "paths", JsonNode::isArray)) {
          paths.add(p.asText());
        }
        findings.add(
            new LintFinding(
                field(o, "rule", JsonNode::isTextual).asText(),
                Severity.valueOf(field(o, "severity", JsonNode::isTextual).asText()),
                field(o, "message", JsonNode::isTextual).asText(),
                paths));
      }
    } catch (IllegalArgumentException e) {
      throw new IOException("unreadable lint report " + file + ": " + e.getMessage(), e);
    }
    return findings;
  }

  private static JsonNode field(JsonNode o, String name, Predicate<JsonNode> kind) {
    JsonNode value = o.get(name);
    if (value == null || !kind.test(value)) {
      throw new IllegalArgumentException("a finding has no " + name);
    }
    return value;
  }

  private Path file(Digest digest) {
    return cache.resolve(digest.hex() + ".json");
  }
}
