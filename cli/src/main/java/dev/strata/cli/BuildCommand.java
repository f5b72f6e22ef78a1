package dev.strata.cli;

import dev.strata.bridge.build.BuildClock;
import dev.strata.bridge.build.BuildListener;
import dev.strata.bridge.build.BuildReport;
import dev.strata.bridge.build.ImageBuilder;
import dev.strata.bridge.build.NodeResult;
import dev.strata.bridge.build.PostBuildStep;
import dev.strata.bridge.build.PullPolicy;
import dev.strata.bridge.build.RegistryFetcher;
import dev.strata.bridge.buildkit.BuildKitEngine;
import dev.strata.bridge.buildkit.BuildxBuilder;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.registry.ImageTransfer;
import dev.strata.bridge.registry.Mirrors;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.run.BuildSecrets;
import dev.strata.bridge.run.SandboxRunStep;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.catalog.Catalog;
import dev.strata.disk.config.DiskConfig;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.Node;
import dev.strata.graph.plan.GitRevision;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.project.ImageConfig;
import dev.strata.graph.project.LayerCompression;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import dev.strata.trust.key.PasswordSource;
import dev.strata.trust.key.SigningKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
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
      "  strata build --push --sign --key cosign.key examples/soe   # push, sign, attest",
      "  strata build --strict --disk-output out examples/soe      # lint fatal; disks to out/",
      "  strata build --engine buildkit --builder farm --jobs 8 examples/soe   # on BuildKit",
      "  strata build --compression zstd examples/soe   # zstd layers (else strata.yaml's)",
      "",
      "RUN executes in runc over overlayfs and needs root. Where the kernel refuses overlayfs,",
      "RUN works on a copy of the rootfs and diffs it (same layers, slower); STRATA_RUN_DIFF=",
      "walk|overlay|auto (default auto) forces one. Independent nodes build in parallel;",
      "the summary line counts nodes built, reused (all steps cached) and failed.",
      "A build whose inputs (strata.yaml, strata.lock, Containerfiles, contexts) and store stat",
      "as its last successful run left them is answered at once from that run's stamp",
      "(~/.cache/strata/up-to-date); STRATA_UP_TO_DATE=0 checks every step instead.",
      "After each node, before its children start: bootc nodes are linted, --push pushes (base",
      "layers mounted, not uploaded again), --sign signs and attaches SBOM and provenance, disk:",
      "images are made for nodes whose digest changed, and the build is recorded in the catalog",
      "(a node taken whole from the cache only when its digest is new to the catalog).",
      "Exit codes: 0 ok, 1 build, push, lint (--strict) or disk failure, 2 invalid project,",
      "Containerfile or option."
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

  @CommandLine.Mixin CompressionOption compression;

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
          "What RUN executes in: auto (default: runc, crun, bwrap, chroot), or one of them. Under"
              + " all but chroot, the RUN's fsync/sync calls return at once (a seccomp filter).")
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
      names = "--push",
      description =
          "Push each node after it builds to <registry>/<image>:<tag> (strata.yaml registry:).")
  boolean push;

  @Option(
      names = "--sign",
      description =
          "With --push: sign each pushed image (cosign format) and attach its SPDX SBOM and SLSA"
              + " provenance. Key from --key or strata.yaml sign: key:; password from"
              + " STRATA_PASSWORD or COSIGN_PASSWORD.")
  boolean sign;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "The private key for --sign (default: strata.yaml sign: key:).")
  Path key;

  @Option(
      names = "--strict",
      description = "Fail a node on any bootc lint finding (bootc nodes are always linted).")
  boolean strict;

  @Option(
      names = "--disk-output",
      paramLabel = "DIR",
      description =
          "Where disk: images go, one folder per node (default: ./output/<node>). They are made"
              + " only for nodes whose digest changed in this build.")
  Path diskOutput;

  @Option(
      names = "--disk-config",
      paramLabel = "FILE",
      description = "bootc-image-builder's config.toml/json for the disk: images (users, kargs).")
  Path diskConfig;

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
    if (!engine.equals("native") && !engine.equals("buildkit")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--engine must be native or buildkit, not '" + engine + "'");
    }
    if (engine.equals("native") && builder != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--builder names a BuildKit builder: use it with --engine buildkit");
    }
    if (sign && !push) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--sign signs what is pushed: add --push");
    }
    Optional<LayerCompression> layers = compression.choice();
    ProjectConfig loaded = withTarget(ProjectLoader.load(directory));
    ProjectConfig project = layers.map(loaded::withCompression).orElse(loaded);
    if (engine.equals("buildkit") && project.compression() != LayerCompression.GZIP) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "layer compression "
              + project.compression().id()
              + " is written by the native engine only; BuildKit builds gzip layers here (use"
              + " --compression gzip with --engine buildkit)");
    }
    // Only a build that reads nothing but local files and the store can be vouched for by a stamp
    // of their stat; the others never take one.
    Optional<BuildStamp> stamp =
        !push && !json && engine.equals("native") && policy == PullPolicy.MISSING
            ? BuildStamp.of(
                spec.root().commandLine().getParseResult().originalArgs(),
                Path.of(""),
                System.getenv())
            : Optional.empty();
    Optional<BuildStamp.Inputs> inputs = stamp.flatMap(s -> BuildInputs.of(project));
    DerivationGraph graph = GraphBuilder.build(project, buildArgs.asMap());
    Optional<SigningKey> signingKey = sign ? Optional.of(signingKey(project)) : Optional.empty();
    DiskConfig disks = diskConfig == null ? DiskConfig.EMPTY : DiskConfig.read(diskConfig);
    OciLayoutStore opened = store.open();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progressOut = json ? spec.commandLine().getErr() : out;
    // BuildKit's own progress is line-based: the BuildKit engine always prints plain lines.
    boolean live =
        engine.equals("native")
            && (progressMode.equals("tty")
                || (progressMode.equals("auto") && !json && LiveBuildProgress.terminalAttached()));
    long start = System.nanoTime();
    BuildReport report;
    BuildListener progress =
        live
            ? new LiveBuildProgress(progressOut, LiveBuildProgress.terminalWidth())
            : new PlainBuildProgress(progressOut);
    RegistryConnector connector = RegistryConnector.fromEnvironment(insecureHosts(project));
    Mirrors mirrors = new Mirrors(project.mirrors());
    Map<String, Optional<Digest>> before = new LinkedHashMap<>();
    for (Node node : graph.nodes()) {
      before.put(node.name(), opened.resolve(node.imageReference()).map(Descriptor::digest));
    }
    BiConsumer<String, String> notes =
        progress instanceof LiveBuildProgress l ? l::note : ((PlainBuildProgress) progress)::note;
    List<BuildPipeline.Outcome> outcomes;
    try (Catalog catalog = Catalog.open(opened.root());
        NodePublisher publisher =
            push
                ? new NodePublisher(
                    new ImageTransfer(opened, connector, mirrors, event -> {}),
                    signingKey,
                    creator())
                : null) {
      ImageBuilder builder =
          new ImageBuilder(
              new ImageBuilder.Settings(
                  opened,
                  policy,
                  new RegistryFetcher(connector, mirrors),
                  SandboxRunStep.inStore(opened.root(), Optional.of(runtime), given),
                  new BuildClock(LayerWriter.sourceDateEpochFromEnvironment()),
                  progress));
      BuildPipeline pipeline =
          new BuildPipeline(
              new BuildPipeline.Settings(
                  opened,
                  catalog,
                  graph,
                  before,
                  Optional.ofNullable(publisher),
                  new BootcCheck(opened.root(), strict, notes),
                  Optional.ofNullable(diskOutput),
                  disks,
                  com.google.common.base.Suppliers.memoize(
                      () -> GitRevision.of(project.directory())),
                  buildArgs.asMap(),
                  creator().replace("strata ", ""),
                  engine,
                  notes));
      report =
          engine.equals("buildkit")
              ? onBuildKit(
                  new BuildKitEngine.Settings(
                      opened,
                      policy,
                      new RegistryFetcher(connector, mirrors),
                      connector,
                      this.builder == null
                          ? BuildxBuilder.CURRENT
                          : BuildxBuilder.named(this.builder),
                      parallel,
                      (PlainBuildProgress) progress),
                  graph,
                  LockFile.read(project.lockFile()),
                  pipeline)
              : builder.build(
                  graph, nodes, LockFile.read(project.lockFile()), parallel, keepGoing, pipeline);
      outcomes = pipeline.outcomes();
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
        outcomes.stream()
            .filter(o -> o.node().equals(r.node()))
            .findFirst()
            .ifPresent(
                o -> {
                  o.pushed().ifPresent(p -> n.put("pushed", p));
                  n.put("signed", o.signed());
                  n.put("lintFindings", o.lintFindings());
                  n.put("disks", o.disks().stream().map(d -> d.file().toString()).toList());
                  o.recorded().ifPresent(id -> n.put("catalog", id.toString()));
                });
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
    if (stamp.isPresent()) {
      BuildInputs.record(
          stamp.get(),
          report.succeeded() && !BuildInputs.hasRemoteSources(graph) ? inputs : Optional.empty(),
          opened.root().resolve("index.json"),
          BuildInputs.nodes(report, outcomes));
    }
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
   * Builds on BuildKit, then runs the same post-build step as native builds (lint, push, sign,
   * disks, catalog) on each result, parents first.
   */
  private BuildReport onBuildKit(
      BuildKitEngine.Settings settings, DerivationGraph graph, LockFile lock, PostBuildStep after)
      throws IOException {
    List<NodeResult> results =
        new BuildKitEngine(settings).build(graph, nodes, lock, buildArgs.asMap());
    List<NodeResult> done = new ArrayList<>();
    for (NodeResult result : results) {
      try {
        after.completed(result);
        done.add(result);
      } catch (IOException e) {
        List<String> rest =
            results.subList(results.indexOf(result) + 1, results.size()).stream()
                .map(NodeResult::node)
                .toList();
        return new BuildReport(
            done, List.of(new BuildReport.Failure(result.node(), e.getMessage(), false)), rest);
      }
    }
    return new BuildReport(done, List.of(), List.of());
  }

  /** --insecure-registry and strata.yaml's insecure-registries: together. */
  private Set<String> insecureHosts(ProjectConfig project) {
    Set<String> hosts = new LinkedHashSet<>(insecure.asSet());
    hosts.addAll(project.insecureRegistries());
    return hosts;
  }

  /** The key of --key, else strata.yaml's sign: key: (relative to the project folder). */
  private SigningKey signingKey(ProjectConfig project) throws IOException {
    Path file =
        key != null
            ? key
            : project
                .signingKey()
                .map(k -> project.directory().resolve(k))
                .orElseThrow(
                    () ->
                        new CommandLine.ParameterException(
                            spec.commandLine(),
                            "--sign needs a key: --key FILE, or sign: { key: FILE } in strata.yaml"));
    try {
      return SigningKey.read(file, PasswordSource.fromEnvironment());
    } catch (IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static String creator() throws IOException {
    return "strata " + new StrataCommand.Version().getVersion()[0].replace("strata ", "");
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
        images,
        project.compression());
  }
}
