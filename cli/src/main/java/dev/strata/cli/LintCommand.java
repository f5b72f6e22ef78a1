package dev.strata.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.disk.image.StoredImage;
import dev.strata.disk.lint.BootcLint;
import dev.strata.disk.lint.LintFinding;
import dev.strata.disk.lint.LintReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata lint}: the bootc container lint checks on a built image. */
@Command(
    name = "lint",
    description = {
      "Check an image against the bootc container contract: one kernel with its initramfs in",
      "/usr/lib/modules, no /usr/etc, /var/run a symlink, API directories, kargs.d parses (errors);",
      "/boot not empty, /var content without tmpfiles.d, /var/log files, /run content, the",
      "containers.bootc label, users and groups without sysusers.d (warnings).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata lint db-server                       # a node of ./strata.yaml",
      "  strata lint --strict localhost:5000/corp/soe:latest",
      "  strata lint --rootfs /tmp/rootfs --skip sysusers",
      "",
      "Exit codes: 0 passes, 1 an error (or, with --strict, any warning), 2 usage error."
    },
    mixinStandardHelpOptions = true)
final class LintCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "NODE|REF", description = "The image to check.")
  String image;

  @Option(
      names = "--rootfs",
      paramLabel = "DIR",
      description = "Check a flattened rootfs folder instead of a stored image (no labels).")
  Path rootfs;

  @Option(names = "--strict", description = "Fail on warnings too (bootc's --fatal-warnings).")
  boolean strict;

  @Option(
      names = "--skip",
      paramLabel = "LINT",
      split = ",",
      description = "Lints not to run (repeatable, comma-separated).")
  List<String> skip = List.of();

  @Option(names = "--json", description = "Print the findings as JSON.")
  boolean json;

  @CommandLine.Mixin ImageArgument images;

  @Override
  public Integer call() throws Exception {
    if ((image == null) == (rootfs == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give either NODE|REF or --rootfs DIR");
    }
    LintReport report;
    String subject;
    try {
      if (rootfs != null) {
        subject = rootfs.toString();
        report = BootcLint.lint(rootfs, Map.of(), new LinkedHashSet<>(skip));
      } else {
        StoredImage stored = images.open(image);
        subject = stored.ref();
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (ImageRootfs layers = ImageRootfs.open(stored, temp)) {
          report = BootcLint.lint(layers.view(), stored.labels(), new LinkedHashSet<>(skip));
        }
      }
    } catch (IllegalArgumentException e) {
      StrataCommand.printError(spec.commandLine(), "error: " + e.getMessage());
      return ErrorReporter.USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    boolean passes = report.passes(strict);
    if (json) {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = mapper.createObjectNode();
      root.put("image", subject);
      root.put("strict", strict);
      root.put("passes", passes);
      ArrayNode findings = root.putArray("findings");
      for (LintFinding f : report.findings()) {
        ObjectNode n = findings.addObject();
        n.put("lint", f.rule());
        n.put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT));
        n.put("message", f.message());
        f.paths().forEach(n.putArray("paths")::add);
      }
      out.println(mapper.writeValueAsString(root));
    } else {
      for (LintFinding f : report.findings()) {
        out.println(f.render());
      }
      out.println(
          subject
              + ": "
              + (passes ? "passes" : "fails")
              + " ("
              + report.findings().size()
              + " finding(s), "
              + report.rulesRun().size()
              + " lints"
              + (strict ? ", strict" : "")
              + ")");
    }
    out.flush();
    return passes ? 0 : ErrorReporter.FAILURE;
  }
}
