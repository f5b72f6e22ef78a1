package dev.strata.bridge.buildkit;

import dev.strata.bridge.build.BuildException;
import dev.strata.bridge.build.BuildOrigin;
import dev.strata.bridge.build.ImageBuilder;
import dev.strata.bridge.build.ImageFetcher;
import dev.strata.bridge.build.ImageLookup;
import dev.strata.bridge.build.NodeResult;
import dev.strata.bridge.build.PullPolicy;
import dev.strata.bridge.build.StoreBuildState;
import dev.strata.bridge.build.StoredImage;
import dev.strata.bridge.fs.FileTrees;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.registry.ImageTransfer;
import dev.strata.bridge.registry.Mirrors;
import dev.strata.bridge.registry.PulledImage;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.dsl.eval.Dependency;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.dsl.eval.StageReference;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Edge;
import dev.strata.graph.ImageName;
import dev.strata.graph.Node;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.plan.NodePlan;
import dev.strata.graph.plan.Plan;
import dev.strata.graph.plan.Planner;
import dev.strata.graph.plan.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The BuildKit engine: executes the same plan as the native engine on any buildx builder (dockerd's
 * embedded BuildKit, docker-container, kubernetes, remote). Nodes go in topological waves, the
 * nodes of a wave side by side; each is one {@code docker buildx build} whose FROM and {@code COPY
 * --from} images are pinned by digest to copies in the project's registry (graph parents as just
 * pushed, external bases pushed there first from the local store, under {@code
 * <registry>/strata-mirror/<domain>/<path>}), so any driver reaches them. Each result is pushed by
 * BuildKit, then pulled into the local store and tagged as the native engine tags it (its
 * provenance labels made the native engine's first, where BuildKit kept a parent's), and its step
 * keys recorded in the same build records, so what follows a build (signing, catalog, disks) and
 * the next plan work the same for both engines. Nodes the plan finds up to date whose image is
 * stored are not sent to BuildKit.
 */
public final class BuildKitEngine {
  /** The repository below the project's registry that holds copies of external bases. */
  public static final String MIRROR_REPOSITORY = "strata-mirror";

  /**
   * How to build: the local store, how to find external bases (pull policy and fetcher, as the
   * native engine), how to reach the registry (credentials, insecure hosts), the buildx builder,
   * how many nodes of a wave run at once, and who hears progress.
   */
  public record Settings(
      OciLayoutStore store,
      PullPolicy pull,
      ImageFetcher fetcher,
      RegistryConnector registry,
      BuildxBuilder builder,
      int jobs,
      BuildKitListener listener) {
    public Settings {
      if (jobs < 1) {
        throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
      }
    }
  }

  private final Settings settings;

  public BuildKitEngine(Settings settings) {
    this.settings = settings;
  }

  /**
   * Builds {@code nodes} (every node when empty) and the nodes they derive from on BuildKit, with
   * {@code buildArgs} from the command line. Returns one result per node in graph order, as the
   * native engine does. Stops after the first wave with a failure (its other nodes finish and are
   * recorded).
   */
  public List<NodeResult> build(
      DerivationGraph graph, List<String> nodes, LockFile lock, Map<String, String> buildArgs)
      throws IOException {
    String registry =
        graph
            .project()
            .registry()
            .orElseThrow(
                () ->
                    new BuildException(
                        "the BuildKit engine pushes every result to a registry, and "
                            + graph
                                .project()
                                .projectFile()
                                .map(Path::toString)
                                .orElse("the project")
                            + " names none: add `registry: HOST[:PORT]/PREFIX` to strata.yaml"));
    Set<String> selected = ImageBuilder.select(graph, nodes);
    OciLayoutStore store = settings.store();
    Map<String, StoredImage> externals = fetchExternalImages(graph, selected, lock);
    StoreBuildState state = new StoreBuildState(store, graph.project().directory());
    Plan plan = Planner.plan(graph, lock, ImageBuilder.storeResolver(store), state);
    Map<String, NodePlan> plans = new LinkedHashMap<>();
    plan.nodes().forEach(p -> plans.put(p.node(), p));

    Map<String, NodeResult> results = new LinkedHashMap<>();
    Map<String, BuildOrigin> origins = new LinkedHashMap<>();
    Map<String, String> mirrored = new TreeMap<>();
    Path work = Files.createTempDirectory(scratchRoot(store), "buildkit-");
    try (ImageTransfer transfer =
        new ImageTransfer(store, settings.registry(), Mirrors.NONE, event -> {})) {
      for (List<Node> wave : graph.waves()) {
        List<Node> toBuild = new ArrayList<>();
        for (Node node : wave) {
          if (!selected.contains(node.name())) {
            continue;
          }
          origins.put(node.name(), origin(graph, node, results, externals));
          Optional<NodeResult> stored =
              upToDate(graph, node, plans.get(node.name()), origins.get(node.name()));
          if (stored.isPresent()) {
            settings.listener().skipped(node.name());
            settings.listener().nodeFinished(stored.get());
            results.put(node.name(), stored.get());
          } else {
            toBuild.add(node);
          }
        }
        List<BuildxInvocation> invocations = new ArrayList<>();
        for (Node node : toBuild) {
          Map<String, String> pinned = new TreeMap<>();
          pinParents(graph, node, results, transfer, pinned);
          pinExternals(registry, node, externals, transfer, mirrored, pinned);
          List<String> tags = references(graph, node);
          invocations.add(
              BuildxInvocation.of(
                  node,
                  settings.builder(),
                  buildArgs,
                  pinned,
                  tags,
                  origins.get(node.name()).labels(),
                  work.resolve(node.name() + ".metadata.json")));
        }
        List<Attempt> attempts = runWave(invocations);
        BuildException failure = null;
        for (Attempt attempt : attempts) {
          if (attempt.failure() != null) {
            failure = failure == null ? attempt.failure() : failure;
            continue;
          }
          Node node = graph.node(attempt.invocation().node()).orElseThrow();
          NodeResult result =
              store(
                  graph, node, attempt, transfer, origins.get(node.name()), plans.get(node.name()));
          state.record(plans.get(node.name()).keys());
          settings.listener().nodeFinished(result);
          results.put(node.name(), result);
        }
        if (failure != null) {
          throw failure;
        }
      }
    } finally {
      FileTrees.delete(work);
    }
    List<NodeResult> ordered = new ArrayList<>();
    for (Node node : graph.nodes()) {
      if (results.containsKey(node.name())) {
        ordered.add(results.get(node.name()));
      }
    }
    return ordered;
  }

  /** A node's result as stored, when the plan finds it up to date and the store has its image. */
  private Optional<NodeResult> upToDate(
      DerivationGraph graph, Node node, NodePlan plan, BuildOrigin origin) throws IOException {
    if (!plan.upToDate()) {
      return Optional.empty();
    }
    List<String> references = references(graph, node);
    Optional<Descriptor> stored = settings.store().resolve(references.get(0));
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    StoredImage image = StoredImage.read(settings.store(), stored.get(), references.get(0));
    return Optional.of(
        new NodeResult(
            node.name(),
            references,
            image.descriptor().digest(),
            image.manifest().config().digest(),
            0,
            plan.keys().steps().size(),
            List.of(),
            Duration.ZERO,
            origin,
            List.of()));
  }

  /** Every FROM and {@code COPY --from} reference naming a graph parent, pinned to its result. */
  private void pinParents(
      DerivationGraph graph,
      Node node,
      Map<String, NodeResult> results,
      ImageTransfer transfer,
      Map<String, String> pinned)
      throws IOException {
    for (Edge edge : graph.incoming(node.name())) {
      NodeResult parent = results.get(edge.parent());
      ImageName remote =
          ImageName.parse(parent.references().get(0))
              .map(name -> pinnedName(name.repository(), parent.manifest()))
              .orElseThrow(
                  () -> new BuildException("unusable reference " + parent.references().get(0)));
      if (parent.reused()) {
        // Built before (by either engine); the registry may not hold this exact image.
        Descriptor descriptor = settings.store().resolve(parent.references().get(0)).orElseThrow();
        transfer.push(descriptor, parent.references().get(0), remote);
      }
      pinned.put(BakeFile.namedContext(edge.reference()), remote.canonical());
    }
  }

  /** Every external image the node reads, pinned to its copy in the registry (pushed once). */
  private void pinExternals(
      String registry,
      Node node,
      Map<String, StoredImage> externals,
      ImageTransfer transfer,
      Map<String, String> mirrored,
      Map<String, String> pinned)
      throws IOException {
    for (String reference : externalReferences(node)) {
      StoredImage image = externals.get(reference);
      ImageName name = ImageName.parse(reference).orElseThrow();
      String remote = mirrored.get(reference);
      if (remote == null) {
        ImageName copy =
            pinnedName(
                registry + "/" + MIRROR_REPOSITORY + "/" + name.domain() + "/" + name.path(),
                image.descriptor().digest());
        transfer.push(image.descriptor(), reference, copy);
        remote = copy.canonical();
        mirrored.put(reference, remote);
      }
      pinned.put(BakeFile.namedContext(reference), remote);
    }
  }

  private static ImageName pinnedName(String repository, Digest digest) {
    return ImageName.parse(repository + "@" + digest)
        .orElseThrow(() -> new IllegalArgumentException("not a repository: " + repository));
  }

  /** Pulls what BuildKit pushed into the store and tags it as the native engine would. */
  private NodeResult store(
      DerivationGraph graph,
      Node node,
      Attempt attempt,
      ImageTransfer transfer,
      BuildOrigin origin,
      NodePlan plan)
      throws IOException {
    List<String> references = references(graph, node);
    ImageName first = ImageName.parse(references.get(0)).orElseThrow();
    PulledImage pulled = transfer.pull(first, Platform.LINUX_AMD64);
    Descriptor manifest = pulled.manifest();
    Optional<Digest> reported = attempt.outcome().pushed();
    if (reported.isPresent() && !reported.get().equals(manifest.digest())) {
      throw new BuildException(
          "node "
              + node.name()
              + ": BuildKit pushed "
              + reported.get()
              + " but "
              + first
              + " now names "
              + manifest.digest()
              + "; something else pushed that tag during the build");
    }
    Optional<Descriptor> relabelled = withOwnLabels(manifest, origin);
    if (relabelled.isPresent()) {
      manifest = relabelled.get();
    }
    for (String reference : references) {
      settings.store().tag(reference, manifest);
      if (relabelled.isPresent()) {
        transfer.push(manifest, reference, ImageName.parse(reference).orElseThrow());
      }
    }
    ImageManifest parsed = ImageManifest.parse(settings.store().readBlob(manifest.digest()));
    return new NodeResult(
        node.name(),
        references,
        manifest.digest(),
        parsed.config().digest(),
        attempt.outcome().stepsBuilt(),
        attempt.outcome().stepsCached(),
        List.of(),
        attempt.time(),
        origin,
        plan.reasons().stream().map(Reason::describe).toList());
  }

  /**
   * The image BuildKit made with its provenance labels as the native engine writes them, when they
   * differ: a Dockerfile can set a label but not remove one, so a child inherits the labels its
   * parent's image carries that do not hold for it (the base image of the root node, say). The
   * image is then re-described, its layers unchanged, with the labelled config in OCI media types
   * (what the native engine writes) and stored; empty when BuildKit's labels are already right.
   */
  private Optional<Descriptor> withOwnLabels(Descriptor manifest, BuildOrigin origin)
      throws IOException {
    OciLayoutStore store = settings.store();
    ImageManifest built = ImageManifest.parse(store.readBlob(manifest.digest()));
    ImageConfig config = ImageConfig.parse(store.readBlob(built.config().digest()));
    ImageConfig labelled = origin.labelled(config);
    if (labelled.configField("Labels").equals(config.configField("Labels"))) {
      return Optional.empty();
    }
    Descriptor configBlob = store.putBlob(labelled.render());
    List<Descriptor> layers =
        built.layers().stream()
            .map(
                l ->
                    new Descriptor(
                        MediaTypes.ociLayer(l.mediaType()),
                        l.digest(),
                        l.size(),
                        l.platform(),
                        l.annotations()))
            .toList();
    return Optional.of(
        store.putBlob(new ImageManifest(configBlob, layers, built.annotations()).render()));
  }

  /**
   * Where {@code node}'s image comes from, as the native engine records it: a parent node built
   * earlier in this run (or found up to date), or an external image pushed to BuildKit from the
   * store.
   */
  private static BuildOrigin origin(
      DerivationGraph graph,
      Node node,
      Map<String, NodeResult> results,
      Map<String, StoredImage> externals)
      throws IOException {
    return BuildOrigin.of(
        graph,
        node,
        (parent, reference) ->
            parent.isPresent()
                ? Optional.ofNullable(results.get(parent.get())).map(NodeResult::manifest)
                : Optional.ofNullable(externals.get(reference)).map(e -> e.descriptor().digest()));
  }

  private static List<String> references(DerivationGraph graph, Node node) {
    return node.config().tags().stream()
        .map(tag -> graph.project().imageReference(node.config(), tag))
        .toList();
  }

  /** One node's run on BuildKit: its outcome or its failure, and how long it took. */
  private record Attempt(
      BuildxInvocation invocation,
      BuildxProcess.Outcome outcome,
      BuildException failure,
      Duration time) {}

  private List<Attempt> runWave(List<BuildxInvocation> invocations) throws IOException {
    if (invocations.isEmpty()) {
      return List.of();
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(settings.jobs(), invocations.size()));
    try {
      List<Future<Attempt>> running = new ArrayList<>();
      for (BuildxInvocation invocation : invocations) {
        running.add(pool.submit(() -> attempt(invocation)));
      }
      List<Attempt> attempts = new ArrayList<>();
      for (Future<Attempt> future : running) {
        try {
          attempts.add(future.get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BuildException("interrupted while BuildKit was building", e);
        }
      }
      return attempts;
    } finally {
      pool.shutdownNow();
    }
  }

  private Attempt attempt(BuildxInvocation invocation) throws IOException {
    long start = System.nanoTime();
    settings.listener().nodeStarted(invocation.node());
    settings.listener().invocation(invocation);
    try {
      BuildxProcess.Outcome outcome = BuildxProcess.run(invocation, settings.listener());
      return new Attempt(invocation, outcome, null, Duration.ofNanos(System.nanoTime() - start));
    } catch (BuildException e) {
      return new Attempt(invocation, null, e, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** Makes sure every image the selected nodes read from outside the graph is in the store. */
  private Map<String, StoredImage> fetchExternalImages(
      DerivationGraph graph, Set<String> selected, LockFile lock) throws IOException {
    ImageLookup lookup = new ImageLookup(settings.store(), settings.fetcher(), settings.pull());
    Map<String, StoredImage> images = new LinkedHashMap<>();
    for (Node node : graph.nodes()) {
      if (!selected.contains(node.name())) {
        continue;
      }
      for (int index : node.stages()) {
        ResolvedStage stage = node.file().stages().get(index);
        for (String reference : externalReferences(node, stage)) {
          if (images.containsKey(reference)) {
            continue;
          }
          try {
            images.put(reference, lookup.findPinned(reference, lock));
          } catch (BuildException e) {
            throw BuildException.at(stage.stage().location(), e.getMessage(), e);
          }
        }
      }
    }
    return images;
  }

  private static List<String> externalReferences(Node node) {
    List<String> references = new ArrayList<>();
    for (int index : node.stages()) {
      for (String reference : externalReferences(node, node.file().stages().get(index))) {
        if (!references.contains(reference)) {
          references.add(reference);
        }
      }
    }
    return references;
  }

  private static List<String> externalReferences(Node node, ResolvedStage stage) {
    List<StageReference> sources = new ArrayList<>();
    sources.add(stage.base());
    stage.dependencies().stream().map(Dependency::source).forEach(sources::add);
    List<String> references = new ArrayList<>();
    for (StageReference source : sources) {
      if (source instanceof StageReference.ImageRef image
          && !node.nodeReferences().containsKey(image.reference())
          && !references.contains(image.reference())) {
        references.add(image.reference());
      }
    }
    return references;
  }

  private static Path scratchRoot(OciLayoutStore store) throws IOException {
    Path tmp = store.root().resolve("tmp");
    Files.createDirectories(tmp);
    return tmp;
  }
}
