package dev.strata.cli;

import dev.strata.bridge.build.BuildClock;
import dev.strata.bridge.build.BuildListener;
import dev.strata.bridge.build.BuildReport;
import dev.strata.bridge.build.ImageBuilder;
import dev.strata.bridge.build.ImageFetcher;
import dev.strata.bridge.build.NodeResult;
import dev.strata.bridge.build.PullPolicy;
import dev.strata.bridge.build.RegistryFetcher;
import dev.strata.bridge.registry.Mirrors;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.run.BuildSecrets;
import dev.strata.bridge.run.SandboxRunStep;
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
      "  strata build --jobs 2 --keep-going --secret id=token,env=API_TOKEN examples/soe",
      "",
      "RUN executes in runc over overlayfs and needs root. Independent nodes build in parallel;",
      "the summary line counts nodes built, reused (all steps cached) and failed.",
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

  @Option(
      names = "--secret",
      paramLabel = "id=ID,src=FILE|env=VAR",
      description =
          "A secret RUN --mount=type=secret can read; never stored, cache keys see its id only."
              + " Repeatable.")
  List<String> secrets = new ArrayList<>();

  @Option(
      names = "--runtime",
      paramLabel = "R",
      description =
          "What RUN executes in: auto (default: runc, crun, bwrap, chroot), or one of them.")
  String runtime = "auto";

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description =
          "Build up to N independent nodes at once (default: 2, or the CPU count if more).")
  Integer jobs;

  @Option(
      names = "--keep-going",
      description = "After a failure, go on with the nodes that do not derive from the failed one.")
  boolean keepGoing;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      description = "auto (default: live on a terminal), tty or plain.")
  String progressMode = "auto";

  @Override
  public Integer call() throws Exception {
    PullPolicy policy;
    BuildSecrets given;
    try {
      policy = PullPolicy.parse(pull);
      given = BuildSecrets.parse(secrets, System.getenv());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    int parallel = jobs != null ? jobs : Math.max(2, Runtime.getRuntime().availableProcessors());
    if (parallel < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--jobs must be at least 1, got " + parallel);
    }
    if (!List.of("auto", "tty", "plain").contains(progressMode)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--progress must be auto, tty or plain, got " + progressMode);
    }
    ProjectConfig project = withTarget(ProjectLoader.load(directory));
    DerivationGraph graph = GraphBuilder.build(project, buildArgs.asMap());
    OciLayoutStore opened = store.open();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progressOut = json ? spec.commandLine().getErr() : out;
    boolean live =
        progressMode.equals("tty")
            || (progressMode.equals("auto") && !json && LiveBuildProgress.terminalAttached());
    long start = System.nanoTime();
    BuildReport report;
    BuildListener progress =
        live
            ? new LiveBuildProgress(progressOut, LiveBuildProgress.terminalWidth())
            : new PlainBuildProgress(progressOut);
    try {
      ImageBuilder builder =
          new ImageBuilder(
              new ImageBuilder.Settings(
                  opened,
                  policy,
                  fetcher(project),
                  SandboxRunStep.inStore(opened.root(), Optional.of(runtime), given),
                  new BuildClock(LayerWriter.sourceDateEpochFromEnvironment()),
                  progress));
      report = builder.build(graph, nodes, LockFile.read(project.lockFile()), parallel, keepGoing);
    } finally {
      if (progress instanceof LiveBuildProgress l) {
        l.close();
      }
    }
    Duration time = Duration.ofNanos(System.nanoTime() - start);
    String summary = BuildSummary.totals(report, time);
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      List<Map<String, Object>> nodeDocs = new ArrayList<>();
      for (NodeResult r : report.results()) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("node", r.node());
        n.put("references", r.references());
        n.put("manifest", r.manifest().toString());
        n.put("config", r.config().toString());
        n.put("stepsBuilt", r.stepsBuilt());
        n.put("stepsReused", r.stepsReused());
        n.put("stepsRun", r.stepsRun());
        n.put("seconds", r.time().toMillis() / 1000.0);
        nodeDocs.add(n);
      }
      List<Map<String, Object>> failures = new ArrayList<>();
      for (BuildReport.Failure f : report.failures()) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("node", f.node());
        n.put("message", f.message());
        n.put("skipped", f.skipped());
        failures.add(n);
      }
      doc.put("store", opened.root().toString());
      doc.put("nodes", nodeDocs);
      doc.put("failures", failures);
      doc.put("notStarted", report.notStarted());
      doc.put("built", report.built());
      doc.put("reused", report.reused());
      doc.put("failed", report.failures().size());
      doc.put("seconds", time.toMillis() / 1000.0);
      out.println(JsonOutput.write(doc));
      progressOut.println(summary);
    } else {
      out.println(summary);
    }
    out.flush();
    progressOut.flush();
    if (!report.succeeded()) {
      PrintWriter err = spec.commandLine().getErr();
      for (BuildReport.Failure f : report.failures()) {
        if (!f.skipped()) {
          err.println("error: " + f.message());
        }
      }
      err.flush();
      return ErrorReporter.FAILURE;
    }
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
}
