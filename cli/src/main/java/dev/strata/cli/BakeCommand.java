package dev.strata.cli;

import dev.strata.bridge.buildkit.BakeFile;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata bake}: the derivation graph as a docker-bake.json for docker buildx bake. */
@Command(
    name = "bake",
    description = {
      "Write a docker-bake.json for the whole graph: one target per node (context, Containerfile,",
      "tags, build args, target stage) and every graph edge as a named context 'target:<parent>',",
      "so 'docker buildx bake' builds parents first and feeds them to their children's FROM.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata bake examples/soe",
      "  strata bake examples/soe --output - | jq '.target[\"db-server\"]'",
      "  cd examples/soe && strata bake && docker buildx bake --print",
      "",
      "Paths in the file are relative to the folder it is written to; run bake from there.",
      "Exit codes: 0 ok, 2 invalid strata.yaml or Containerfile."
    },
    mixinStandardHelpOptions = true)
final class BakeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "DIR", description = "The project folder (default: .).")
  Path directory = Path.of(".");

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Where to write it, '-' for standard output (default: DIR/docker-bake.json).")
  String output;

  @CommandLine.Mixin BuildArgs buildArgs;

  @Override
  public Integer call() throws Exception {
    ProjectConfig project = ProjectLoader.load(directory);
    DerivationGraph graph = GraphBuilder.build(project, buildArgs.asMap());
    PrintWriter out = spec.commandLine().getOut();
    if ("-".equals(output)) {
      out.print(BakeFile.render(graph, Path.of("").toAbsolutePath(), buildArgs.asMap()));
      out.flush();
      return 0;
    }
    Path file = output == null ? project.directory().resolve("docker-bake.json") : Path.of(output);
    Path folder = file.toAbsolutePath().getParent();
    Files.writeString(
        file, BakeFile.render(graph, folder, buildArgs.asMap()), StandardCharsets.UTF_8);
    out.println("wrote " + file + " (" + graph.nodes().size() + " targets)");
    out.flush();
    return 0;
  }
}
