package dev.strata.cli;

import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import dev.strata.graph.render.DotRenderer;
import dev.strata.graph.render.GraphJson;
import dev.strata.graph.render.MermaidRenderer;
import dev.strata.graph.render.SvgRenderer;
import dev.strata.graph.render.TextRenderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata graph}: the SOE derivation graph of a project, inferred from FROM. */
@Command(
    name = "graph",
    description = {
      "Show the derivation graph of a project: which image derives from which, inferred from FROM,",
      "COPY --from and RUN --mount=from (strata.yaml names the images and their aliases; without",
      "it every Containerfile/Dockerfile below DIR is a node named after its folder).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata graph examples/soe",
      "  strata graph examples/soe --format dot | dot -Tpng > soe.png",
      "  strata graph --format mermaid examples/rhel-image-mode",
      "",
      "Formats: text (a tree), dot, mermaid, json (documented shape: nodes, edges, waves), svg",
      "(needs Graphviz 'dot'). --json is the same as --format json.",
      "Exit codes: 0 ok, 2 invalid strata.yaml or Containerfile, cycle or ambiguous FROM."
    },
    mixinStandardHelpOptions = true)
final class GraphCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "DIR", description = "The project folder (default: .).")
  Path directory = Path.of(".");

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "text, dot, mermaid, json or svg (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  @Option(names = "--json", description = "Print the graph as JSON.")
  boolean json;

  @CommandLine.Mixin BuildArgs buildArgs;

  enum Format {
    text,
    dot,
    mermaid,
    json,
    svg
  }

  @Override
  public Integer call() throws Exception {
    ProjectConfig project = ProjectLoader.load(directory);
    DerivationGraph graph = GraphBuilder.build(project, buildArgs.asMap());
    PrintWriter out = spec.commandLine().getOut();
    Format chosen = json ? Format.json : format;
    out.print(
        switch (chosen) {
          case text -> TextRenderer.render(graph);
          case dot -> DotRenderer.render(graph);
          case mermaid -> MermaidRenderer.render(graph);
          case json -> GraphJson.render(graph);
          case svg -> SvgRenderer.render(graph);
        });
    out.flush();
    return 0;
  }
}
