package dev.strata.cli;

import dev.strata.bridge.build.BuildClock;
import dev.strata.bridge.build.ImageBuilder;
import dev.strata.bridge.build.ImageFetcher;
import dev.strata.bridge.build.NodeResult;
import dev.strata.bridge.build.PullPolicy;
import dev.strata.bridge.build.RegistryFetcher;
import dev.strata.bridge.build.RunStep;
import dev.strata.bridge.buildkit.BuildKitEngine;
import dev.strata.bridge.buildkit.BuildKitListener;
import dev.strata.bridge.buildkit.BuildxBuilder;
import dev.strata.bridge.buildkit.BuildxInvocation;
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

/**
 * {@code strata build}: builds a project's nodes into the local store with the native engine, or on
 * a BuildKit builder through docker buildx ({@code --engine buildkit}).
 */
@Command(
    name = "build",
    description = {
      "Build the nodes of a project (a strata.yaml folder, or a folder with one Containerfile)",
      "into the local OCI store, parents first, reusing every step whose cache key is unchanged.",
      "Each result is stored as <image>:<tag> for every tag. SOURCE_DATE_EPOCH makes the images",
      "reproducible (timestamps clamped, as BuildKit's rewrite-timestamp).",
      "With --engine buildkit each node that is not up to date is built by `docker buildx build`",
      "on the chosen builder (any driver), its parents and external bases pinned by digest to",
      "copies in strata.yaml's registry; results are pushed there, then pulled into the store.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata build examples/soe",
      "  strata build examples/soe web-server            # web-server and what it derives from",
      "  SOURCE_DATE_EPOCH=1700000000 strata build --store /tmp/store .",
      "  strata build --engine buildkit examples/soe                     # buildx's current builder",
      "  strata build --engine buildkit --builder farm --jobs 8 examples/soe",
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

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description = "native (default: daemonless, in-process) or buildkit (docker buildx).")
  String engine = "native";

  @Option(
      names = "--builder",
      paramLabel = "NAME",
      description =
          "The buildx builder or docker context BuildKit runs on (--engine buildkit; default:"
              + " buildx's current builder).")
  String builder;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description = "Nodes of one wave built at once (--engine buildkit; default: 4).")
  int jobs = 4;

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
    if (!engine.equals("native") && !engine.equals("buildkit")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--engine must be native or buildkit, not '" + engine + "'");
    }
    if (engine.equals("native") && builder != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--builder names a BuildKit builder: use it with --engine buildkit");
    }
    if (jobs < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--jobs must be at least 1");
    }
    ProjectConfig project = withTarget(ProjectLoader.load(directory));
    DerivationGraph graph = GraphBuilder.build(project, buildArgs.asMap());
    OciLayoutStore opened = store.open();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = json ? spec.commandLine().getErr() : out;
    long start = System.nanoTime();
    List<NodeResult> results;
    try {
      results =
          engine.equals("buildkit")
              ? new BuildKitEngine(
                      new BuildKitEngine.Settings(
                          opened,
                          policy,
                          fetcher(project),
                          RegistryConnector.fromEnvironment(insecureHosts(project)),
                          builder == null ? BuildxBuilder.CURRENT : BuildxBuilder.named(builder),
                          jobs,
                          new ProgressLines(progress)))
                  .build(graph, nodes, LockFile.read(project.lockFile()), buildArgs.asMap())
              : new ImageBuilder(
                      new ImageBuilder.Settings(
                          opened,
                          policy,
                          fetcher(project),
                          RunStep.UNAVAILABLE,
                          new BuildClock(LayerWriter.sourceDateEpochFromEnvironment()),
                          new ProgressLines(progress)))
                  .build(graph, nodes, LockFile.read(project.lockFile()));
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
    return new RegistryFetcher(
        RegistryConnector.fromEnvironment(insecureHosts(project)), new Mirrors(project.mirrors()));
  }

  /** --insecure-registry hosts and strata.yaml's insecure-registries. */
  private java.util.Set<String> insecureHosts(ProjectConfig project) {
    java.util.Set<String> hosts = new java.util.LinkedHashSet<>(insecure.asSet());
    hosts.addAll(project.insecureRegistries());
    return hosts;
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

  /**
   * Plain progress lines, one per node and step; on BuildKit, the buildx command and every line
   * BuildKit prints, prefixed by the node.
   */
  private static final class ProgressLines implements BuildKitListener {
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
    public void invocation(BuildxInvocation invocation) {
      out.println("[" + invocation.node() + "] $ " + invocation.printable());
      out.flush();
    }

    @Override
    public void progress(String node, String line) {
      out.println("[" + node + "] " + line);
      out.flush();
    }

    @Override
    public void skipped(String node) {
      out.println("[" + node + "] up to date; not sent to BuildKit");
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
