package dev.strata.cli;

import dev.strata.dsl.Warning;
import dev.strata.dsl.eval.EvaluationOptions;
import dev.strata.dsl.eval.Evaluator;
import dev.strata.dsl.eval.ResolvedContainerfile;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.dsl.eval.StageReference;
import dev.strata.dsl.instructions.Arg;
import dev.strata.dsl.instructions.Containerfile;
import dev.strata.dsl.instructions.Instruction;
import dev.strata.dsl.instructions.InstructionParser;
import dev.strata.dsl.syntax.SyntaxParser;
import dev.strata.dsl.syntax.SyntaxTree;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
      "Parse Containerfiles as BuildKit does: syntax, every instruction and its flags, ARG scoping"
          + " and variable expansion. Errors name file:line:col.",
      "A folder stands for every Containerfile/Dockerfile below it.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata parse examples/soe/base/Containerfile",
      "  strata parse --dump Dockerfile     # BuildKit's AST dump, one line per instruction",
      "  strata parse --json --build-arg SOE_VERSION=2 examples/soe",
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
          "Print BuildKit's syntax-tree dump (parser.Node.Dump) and check only the syntax, as"
              + " BuildKit's parser does.")
  boolean dump;

  @Option(names = "--json", description = "Print the typed, expanded instructions as JSON.")
  boolean json;

  @Option(
      names = "--build-arg",
      paramLabel = "KEY=VALUE",
      description = "A build argument for ARG expansion (repeatable).")
  Map<String, String> buildArgs = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files = ContainerfileFinder.expand(paths);
    List<Map<String, Object>> reports = new ArrayList<>();
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      if (dump) {
        SyntaxTree tree = SyntaxParser.parse(bytes, file.toString());
        warn(tree.warnings());
        if (files.size() > 1) {
          out.println("# " + file);
        }
        out.print(tree.dump());
        continue;
      }
      Containerfile parsed = InstructionParser.read(bytes, file.toString());
      warn(parsed.warnings());
      ResolvedContainerfile resolved =
          Evaluator.evaluate(parsed, EvaluationOptions.withBuildArgs(buildArgs));
      if (json) {
        reports.add(report(file, parsed, resolved));
      } else {
        summarise(out, file, resolved);
      }
    }
    if (json) {
      out.println(JsonOutput.write(reports.size() == 1 ? reports.get(0) : reports));
    }
    out.flush();
    return 0;
  }

  private void warn(List<Warning> warnings) {
    for (Warning warning : warnings) {
      StrataCommand.printError(spec.commandLine(), warning.render());
    }
  }

  private static void summarise(PrintWriter out, Path file, ResolvedContainerfile resolved) {
    int instructions = resolved.stages().stream().mapToInt(s -> s.instructions().size()).sum();
    out.printf(
        "%s: ok, %d %s, %d instructions%n",
        file,
        resolved.stages().size(),
        resolved.stages().size() == 1 ? "stage" : "stages",
        instructions);
    for (ResolvedStage stage : resolved.stages()) {
      out.printf(
          "  stage %d%s  FROM %s%s  (%d instructions)%n",
          stage.index(),
          stage.name().map(n -> " " + n).orElse(""),
          stage.baseName(),
          describe(stage.base()),
          stage.instructions().size());
    }
  }

  private static String describe(StageReference base) {
    if (base instanceof StageReference.StageRef ref) {
      return " [stage " + ref.index() + "]";
    }
    if (base instanceof StageReference.Scratch) {
      return " [empty]";
    }
    return "";
  }

  private static Map<String, Object> report(
      Path file, Containerfile parsed, ResolvedContainerfile resolved) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("file", file.toString());
    report.put("escape", String.valueOf(parsed.escapeToken()));
    Map<String, String> directives = new LinkedHashMap<>();
    parsed.directives().forEach(d -> directives.put(d.name(), d.value()));
    report.put("directives", directives);
    List<Map<String, Object>> metaArgs = new ArrayList<>();
    for (Arg arg : parsed.metaArgs()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("line", arg.location().startLine());
      entry.put("args", arg.args());
      metaArgs.add(entry);
    }
    report.put("metaArgs", metaArgs);
    List<Map<String, Object>> stages = new ArrayList<>();
    for (ResolvedStage stage : resolved.stages()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("index", stage.index());
      entry.put("name", stage.name().orElse(null));
      entry.put("base", stage.baseName());
      entry.put("baseKind", baseKind(stage.base()));
      entry.put("platform", stage.platform().map(Object::toString).orElse(null));
      List<Map<String, Object>> instructions = new ArrayList<>();
      for (Instruction instruction : stage.instructions()) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("line", instruction.location().startLine());
        i.put("instruction", instruction.name().toUpperCase(Locale.ROOT));
        i.put("source", instruction.location().original());
        i.put("typed", instruction);
        instructions.add(i);
      }
      entry.put("instructions", instructions);
      stages.add(entry);
    }
    report.put("stages", stages);
    List<Map<String, Object>> warnings = new ArrayList<>();
    for (Warning warning : parsed.warnings()) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("rule", warning.rule());
      w.put("message", warning.message());
      w.put("line", warning.position().line());
      warnings.add(w);
    }
    report.put("warnings", warnings);
    return report;
  }

  private static String baseKind(StageReference base) {
    if (base instanceof StageReference.StageRef) {
      return "stage";
    }
    return base instanceof StageReference.Scratch ? "scratch" : "image";
  }
}
