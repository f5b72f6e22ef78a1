package dev.strata.cli;

import dev.strata.bridge.build.BaseDigests;
import dev.strata.bridge.build.PullPolicy;
import dev.strata.bridge.build.StoreBuildState;
import dev.strata.bridge.registry.DigestResolver;
import dev.strata.bridge.registry.Mirrors;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.plan.AffectedNodes;
import dev.strata.graph.plan.BuildState;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.plan.NodeKeys;
import dev.strata.graph.plan.Plan;
import dev.strata.graph.plan.Planner;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import dev.strata.graph.render.PlanRenderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata plan}: which nodes must be rebuilt, from which step, and why. */
@Command(
    name = "plan",
    description = {
      "Plan a build: for each node, in build order, 'up-to-date' or 'rebuild from step N' with",
      "every reason (new node, instruction changed, input file changed, build arg changed, parent",
      "rebuilt, base digest moved). Base digests come from strata.lock; a base it does not pin is",
      "keyed on the digest a build would use (the local store's, else its registry's).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata plan examples/soe",
      "  strata plan --json --build-arg SOE_VERSION=2025.07 examples/soe",
      "  strata plan --since origin/main examples/soe   # what a branch's changes affect",
      "  strata plan --compression zstd examples/soe    # as strata build --compression zstd",
      "",
      "Builds recorded in the store (--store) are what 'up-to-date' is measured against.",
      "Exit codes: 0 ok, 2 invalid strata.yaml, strata.lock or Containerfile."
    },
    mixinStandardHelpOptions = true)
final class PlanCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "DIR", description = "The project folder (default: .).")
  Path directory = Path.of(".");

  @Option(names = "--json", description = "Print the plan as JSON.")
  boolean json;

  @Option(
      names = "--since",
      paramLabel = "REV",
      description =
          "List the nodes a git change since REV affects (committed or not) and why, instead of"
              + " the plan.")
  String since;

  @CommandLine.Mixin BuildArgs buildArgs;

  @CommandLine.Mixin StoreOption store;

  @CommandLine.Mixin InsecureRegistryOption insecure;

  @CommandLine.Mixin CompressionOption compression;

  @Override
  public Integer call() throws Exception {
    ProjectConfig loaded = ProjectLoader.load(directory);
    ProjectConfig project = compression.choice().map(loaded::withCompression).orElse(loaded);
    DerivationGraph graph = GraphBuilder.build(project, buildArgs.asMap());
    LockFile lock = LockFile.read(project.lockFile());
    Optional<OciLayoutStore> opened = store.openIfPresent();
    Set<String> insecureHosts = new LinkedHashSet<>(insecure.asSet());
    insecureHosts.addAll(project.insecureRegistries());
    Plan plan;
    // A base strata.lock does not pin is keyed on the digest a build would use: the store's,
    // else its registry's (mirrors first); the lock file is only written by check-updates --pin.
    try (DigestResolver registries =
        new DigestResolver(
            RegistryConnector.fromEnvironment(insecureHosts), new Mirrors(project.mirrors()))) {
      BaseDigests bases = new BaseDigests(opened, Optional.of(registries), PullPolicy.MISSING);
      Plan planned =
          Planner.plan(
              graph,
              lock,
              bases,
              opened
                  .<BuildState>map(s -> new StoreBuildState(s, project.directory()))
                  .orElse(BuildState.NONE));
      List<String> notes = new ArrayList<>(planned.notes());
      notes.addAll(bases.problems());
      plan = new Plan(planned.nodes(), notes);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (since != null) {
      Map<String, NodeKeys> keys = new LinkedHashMap<>();
      plan.nodes().forEach(n -> keys.put(n.node(), n.keys()));
      List<AffectedNodes.Affected> affected = AffectedNodes.since(graph, keys, since);
      out.print(
          json
              ? PlanRenderer.affectedJson(since, affected)
              : PlanRenderer.affectedText(since, affected));
      out.flush();
      return 0;
    }
    out.print(json ? PlanRenderer.json(plan) : PlanRenderer.text(plan));
    out.flush();
    return 0;
  }
}
