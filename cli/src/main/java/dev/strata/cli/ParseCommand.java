package dev.strata.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.dsl.Warning;
import dev.strata.dsl.syntax.SyntaxParser;
import dev.strata.dsl.syntax.SyntaxTree;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata parse}: reads Containerfiles exactly as BuildKit does and reports what they say.
 */
@Command(
    name = "parse",
    description = {
      "Parse Containerfiles as BuildKit does and report errors with file:line:col.",
      "A folder stands for every Containerfile/Dockerfile below it.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata parse examples/soe/base/Containerfile",
      "  strata parse --dump Dockerfile        # BuildKit's AST dump, one line per instruction",
      "  strata parse --json examples/soe      # every Containerfile below, as JSON",
      "",
      "Exit codes: 0 all files valid, 2 a file is invalid (the error names file:line:col)."
    },
    mixinStandardHelpOptions = true)
final class ParseCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Containerfiles or folders.")
  List<Path> paths;

  @Option(
      names = "--dump",
      description =
          "Print BuildKit's syntax-tree dump (parser.Node.Dump) instead of the summary. It shows"
              + " the line-level tree only, as BuildKit's parser does.")
  boolean dump;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files = ContainerfileFinder.expand(paths);
    List<Map<String, Object>> reports = new ArrayList<>();
    for (Path file : files) {
      SyntaxTree tree = SyntaxParser.parse(Files.readAllBytes(file), file.toString());
      for (Warning warning : tree.warnings()) {
        StrataCommand.printError(spec.commandLine(), warning.render());
      }
      if (dump) {
        if (files.size() > 1) {
          out.println("# " + file);
        }
        out.print(tree.dump());
      } else if (json) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", file.toString());
        report.put("instructions", tree.root().children().size());
        reports.add(report);
      } else {
        out.println(file + ": ok, " + tree.root().children().size() + " instructions");
      }
    }
    if (json && !dump) {
      out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(reports.size() == 1 ? reports.get(0) : reports));
    }
    out.flush();
    return 0;
  }
}
