package dev.strata.cli;

import dev.strata.bridge.build.BuildClock;
import dev.strata.bridge.build.BuildListener;
import dev.strata.bridge.build.ImageBuilder;
import dev.strata.bridge.build.ImageFetcher;
import dev.strata.bridge.build.NodeResult;
import dev.strata.bridge.build.PullPolicy;
import dev.strata.bridge.build.RegistryFetcher;
import dev.strata.bridge.build.RunStep;
import dev.strata.bridge.registry.Mirrors;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.project.ImageConfig;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata build}: builds a project's nodes into the local store with the native engine. */
@Command(
    name = "build",
    description = {
      "Build the nodes of a project (a strata.yaml folder, or a folder with one Containerfile)",
      "into the local OCI store, parents first, reusing every step whose cache key is unchanged.",
      "Each result is stored as <image>:<tag> for every tag. SOURCE_DATE_EPOCH makes the images",
      "reproducible (timestamps clamped, as BuildKit's rewrite-timestamp).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata build examples/soe",
      "  strata build examples/soe web-server            # web-server and what it derives from",
      "  SOURCE_DATE_EPOCH=1700000000 strata build --store /tmp/store .",
      "",
      "The native engine builds COPY, ADD and configuration instructions; RUN needs the RUN"
          + " executor.",
      "Exit codes: 0 ok, 1 build failure, 2 invalid project, Containerfile or option."
    },
    mixinStandardHelpOptions = true)
final class BuildCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The project folder (default: .).")
  Path directory = Path.of(".");

  @Parameters(index = "1..*", paramLabel = "NODE", description = "Nodes to build (default: all).")
  List<String> nodes = new ArrayList<>();

  @CommandLine.Mixin StoreOption store;

  @CommandLine.Mixin BuildArgs buildArgs;

  @CommandLine.Mixin InsecureRegistryOption insecure;

  @Option(
      names = "--target",
      paramLabel = "STAGE",
      description =
          "Build this stage of the node's Containerfile instead of its last (one node only).")
  String target;

  @Option(
      names = "--pull",
      paramLabel = "POLICY",
      description = "missing (default: the local store first), always or never.")
  String pull = "missing";

  @Option(names = "--json", description = "Print the results as JSON (progress goes to stderr).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PullPolicy policy;
    try {
      policy = PullPolicy.parse(pull);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    ProjectConfig project = withTarget(ProjectLoader.load(directory));
    DerivationGraph graph = GraphBuilder.build(project, buildArgs.asMap());
    OciLayoutStore opened = store.open();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = json ? spec.commandLine().getErr() : out;
    long start = System.nanoTime();
    ImageBuilder builder =
        new ImageBuilder(
            new ImageBuilder.Settings(
                opened,
                policy,
                fetcher(project),
                RunStep.UNAVAILABLE,
                new BuildClock(LayerWriter.sourceDateEpochFromEnvironment()),
                new ProgressLines(progress)));
    List<NodeResult> results;
    try {
      results = builder.build(graph, nodes, LockFile.read(project.lockFile()));
    } catch (java.io.IOException e) {
      progress.println("build failed after " + seconds(System.nanoTime() - start));
      progress.flush();
      throw e;
    }
    long built = results.stream().filter(r -> !r.reused()).count();
    long reused = results.size() - built;
    String summary =
        "built "
            + built
            + ", reused "
            + reused
            + ", failed 0 in "
            + seconds(System.nanoTime() - start);
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      List<Map<String, Object>> nodeDocs = new ArrayList<>();
      for (NodeResult r : results) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("node", r.node());
        n.put("references", r.references());
        n.put("manifest", r.manifest().toString());
        n.put("config", r.config().toString());
        n.put("stepsBuilt", r.stepsBuilt());
        n.put("stepsReused", r.stepsReused());
        n.put("seconds", r.time().toMillis() / 1000.0);
        nodeDocs.add(n);
      }
      doc.put("store", opened.root().toString());
      doc.put("nodes", nodeDocs);
      doc.put("built", built);
      doc.put("reused", reused);
      doc.put("failed", 0);
      out.println(JsonOutput.write(doc));
      progress.println(summary);
    } else {
      out.println(summary);
    }
    out.flush();
    progress.flush();
    return 0;
  }

  /**
   * Pulls missing bases through the registry layer, with strata.yaml's mirrors and insecure list.
   */
  private ImageFetcher fetcher(ProjectConfig project) {
    java.util.Set<String> insecureHosts = new java.util.LinkedHashSet<>(insecure.asSet());
    insecureHosts.addAll(project.insecureRegistries());
    return new RegistryFetcher(
        RegistryConnector.fromEnvironment(insecureHosts), new Mirrors(project.mirrors()));
  }

  private ProjectConfig withTarget(ProjectConfig project) {
    if (target == null) {
      return project;
    }
    List<String> named = nodes.isEmpty() ? List.copyOf(project.images().keySet()) : nodes;
    if (named.size() != 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--target needs exactly one node; name it after DIR");
    }
    Map<String, ImageConfig> images = new LinkedHashMap<>(project.images());
    ImageConfig image = images.get(named.get(0));
    if (image == null) {
      return project; // the engine reports the unknown node
    }
    images.put(
        image.name(),
        new ImageConfig(
            image.name(),
            image.containerfile(),
            image.context(),
            image.image(),
            image.tags(),
            image.aliases(),
            image.args(),
            Optional.of(target),
            image.disks(),
            image.declaredAt()));
    return new ProjectConfig(
        project.directory(),
        project.projectFile(),
        project.registry(),
        project.mirrors(),
        project.signingKey(),
        project.insecureRegistries(),
        images);
  }

  private static String seconds(long nanos) {
    return String.format("%.1f s", Duration.ofNanos(nanos).toMillis() / 1000.0);
  }

  /** Plain progress lines, one per node and step. */
  private static final class ProgressLines implements BuildListener {
    private final PrintWriter out;

    ProgressLines(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void nodeStarted(String node) {
      out.println("[" + node + "] building");
      out.flush();
    }

    @Override
    public void step(String node, String stage, String instruction, boolean cached) {
      out.println("[" + node + "] " + stage + ": " + instruction + (cached ? "  (cached)" : ""));
      out.flush();
    }

    @Override
    public void nodeFinished(NodeResult result) {
      out.println(
          "["
              + result.node()
              + "] "
              + (result.reused() ? "reused " : "built ")
              + String.join(", ", result.references())
              + " "
              + result.manifest()
              + " ("
              + result.stepsBuilt()
              + " steps run, "
              + result.stepsReused()
              + " cached)");
      out.flush();
    }
  }
}
