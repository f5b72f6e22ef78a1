package dev.strata.bridge.build;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.run.CacheTurns;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.dsl.eval.Dependency;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.dsl.eval.StageReference;
import dev.strata.dsl.instructions.Instruction;
import dev.strata.dsl.instructions.Run;
import dev.strata.dsl.instructions.SourceSpan;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Edge;
import dev.strata.graph.Node;
import dev.strata.graph.plan.BaseImageResolver;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.plan.NodeKeys;
import dev.strata.graph.plan.NodePlan;
import dev.strata.graph.plan.Planner;
import dev.strata.graph.plan.Reason;
import dev.strata.graph.plan.StepKey;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The native engine's entry point: builds nodes of a derivation graph into the local store, parents
 * first, each stage step by step with the per-instruction cache, and stores each result as {@code
 * <image>:<tag>} for every tag. Step keys are the graph's cache keys, so what {@code strata plan}
 * predicts is what the build does; the keys of each built node are recorded for the next plan.
 */
public final class ImageBuilder {

  /**
   * How to build: the store, when to pull, how to fetch from registries, the RUN executor, the
   * clock ({@code SOURCE_DATE_EPOCH}) and who hears progress.
   */
  public record Settings(
      OciLayoutStore store,
      PullPolicy pull,
      ImageFetcher fetcher,
      RunStep runStep,
      BuildClock clock,
      BuildListener listener) {}

  private final Settings settings;

  public ImageBuilder(Settings settings) {
    this.settings = settings;
  }

  /** A {@link BaseImageResolver} over the local store: a reference's stored manifest digest. */
  public static BaseImageResolver storeResolver(OciLayoutStore store) {
    ImageLookup lookup = new ImageLookup(store, ImageFetcher.NONE, PullPolicy.NEVER);
    return reference -> {
      try {
        return lookup.inStore(reference).map(d -> d.digest().toString());
      } catch (IOException e) {
        return Optional.empty();
      }
    };
  }

  /**
   * Builds {@code nodes} (every node when empty) and the nodes they derive from, one at a time in
   * topological order; the first failure is thrown.
   */
  public List<NodeResult> build(DerivationGraph graph, List<String> nodes, LockFile lock)
      throws IOException {
    BuildReport report = build(graph, nodes, lock, 1, false);
    if (!report.failures().isEmpty()) {
      BuildReport.Failure first = report.failures().get(0);
      throw new BuildException(first.message());
    }
    return report.results();
  }

  /**
   * Builds {@code nodes} (every node when empty) and the nodes they derive from, parents first, up
   * to {@code jobs} nodes at a time; with {@code keepGoing}, a failure stops only the failed node's
   * descendants.
   */
  public BuildReport build(
      DerivationGraph graph, List<String> nodes, LockFile lock, int jobs, boolean keepGoing)
      throws IOException {
    return build(graph, nodes, lock, jobs, keepGoing, PostBuildStep.NONE);
  }

  /**
   * Builds as {@link #build(DerivationGraph, List, LockFile, int, boolean)} does, running {@code
   * after} on each node's result once it is stored and before any node derived from it starts
   * (push, sign, lint, record); a failure there fails the node like a failed step. Independent
   * nodes may call {@code after} from several threads at once.
   */
  public BuildReport build(
      DerivationGraph graph,
      List<String> nodes,
      LockFile lock,
      int jobs,
      boolean keepGoing,
      PostBuildStep after)
      throws IOException {
    Set<String> selected = select(graph, nodes);
    ScratchSpace.sweep(settings.store().root()); // what a killed build left
    BuildSession session = new BuildSession(settings, graph, lock);
    for (Node node : graph.nodes()) {
      if (selected.contains(node.name())) {
        fetchExternalImages(session, node);
      }
    }
    StoreBuildState state = new StoreBuildState(settings.store(), graph.project().directory());
    List<String> order = new ArrayList<>();
    Map<String, Set<String>> parents = new LinkedHashMap<>();
    for (Node node : graph.nodes()) {
      if (selected.contains(node.name())) {
        order.add(node.name());
        Set<String> mine = new LinkedHashSet<>();
        graph.incoming(node.name()).forEach(e -> mine.add(e.parent()));
        parents.put(node.name(), mine);
      }
    }
    Map<String, NodeKeys> planned = new ConcurrentHashMap<>();
    CacheTurns turns = turns(graph, order, parents, state);
    session.turns(turns);
    BuildScheduler scheduler = new BuildScheduler(jobs, keepGoing, settings.listener());
    return scheduler.run(
        order,
        parents,
        name -> {
          Node node = graph.node(name).orElseThrow();
          Built built;
          NodePlan nodePlan;
          turns.started(name);
          try {
            // Planned per node, after its parents are stored, so a parent's result is known; the
            // parents' keys are the ones they were built with.
            nodePlan =
                Planner.plan(graph, lock, storeResolver(settings.store()), state, name, planned);
            planned.put(name, nodePlan.keys());
            built = buildNode(session, graph, node, nodePlan);
          } finally {
            turns.finished(name);
          }
          state.record(
              nodePlan.keys(), built.result().config(), built.identity(), built.stepTimes());
          after.completed(built.result());
          return built.result();
        });
  }

  /**
   * The order in which this build's nodes take the locked cache mounts they share ({@link
   * CacheTurns}): each claims its locked caches with the time its steps took when they last ran
   * (without their waits for locked caches) plus the slowest chain of its descendants' in this
   * build. No claims when fewer than two nodes use a locked cache or no node has a recorded time (a
   * first build): first come, first served.
   */
  private static CacheTurns turns(
      DerivationGraph graph,
      List<String> order,
      Map<String, Set<String>> parents,
      StoreBuildState state) {
    Map<String, Set<String>> locked = new LinkedHashMap<>();
    for (String name : order) {
      Node node = graph.node(name).orElseThrow();
      Set<String> ids = new LinkedHashSet<>();
      for (int index : node.stages()) {
        for (Instruction instruction : node.file().stages().get(index).instructions()) {
          if (instruction instanceof Run run) {
            run.mounts().stream()
                .filter(CacheTurns::locked)
                .map(CacheTurns::cacheId)
                .forEach(ids::add);
          }
        }
      }
      if (!ids.isEmpty()) {
        locked.put(name, ids);
      }
    }
    CacheTurns turns = new CacheTurns(CacheTurns.GRACE);
    if (locked.size() < 2) {
      return turns;
    }
    Map<String, Double> remaining = new HashMap<>();
    boolean known = false;
    for (int i = order.size() - 1; i >= 0; i--) {
      String name = order.get(i);
      Optional<Double> own = state.lastSeconds(name);
      known |= own.isPresent();
      double below = 0;
      for (String child : order) {
        if (parents.get(child).contains(name)) {
          below = Math.max(below, remaining.get(child));
        }
      }
      remaining.put(name, own.orElse(0.0) + below);
    }
    if (!known) {
      return turns;
    }
    locked.forEach((name, ids) -> ids.forEach(id -> turns.claim(name, id, remaining.get(name))));
    return turns;
  }

  /**
   * A built node; the identity of its image for its children's cache keys (the digest of its config
   * without provenance labels, {@link BuildOrigin#withoutProvenance}); and how long each step that
   * ran took, by step key.
   */
  private record Built(NodeResult result, Digest identity, Map<String, Duration> stepTimes) {}

  /** Builds {@code node} as {@code plan} says. */
  private Built buildNode(BuildSession session, DerivationGraph graph, Node node, NodePlan plan)
      throws IOException {
    NodeKeys keys = plan.keys();
    long start = System.nanoTime();
    settings.listener().nodeStarted(node.name());
    StageExecutor executor = new StageExecutor(session, node);
    List<StepKey> steps = keys.steps();
    int offset = 0;
    StageState result = null;
    for (int index : node.stages()) {
      ResolvedStage stage = node.file().stages().get(index);
      int count = 1 + stage.instructions().size();
      List<String> stageKeys = new ArrayList<>();
      for (int i = offset; i < offset + count; i++) {
        stageKeys.add(steps.get(i).key());
      }
      offset += count;
      StageState state = executor.run(stage, stageKeys);
      if (index == node.targetStage()) {
        result = state;
      }
    }
    if (result == null) {
      throw new BuildException("node " + node.name() + " has no target stage");
    }
    BuildOrigin origin = origin(session, node);
    ImageConfig labelled = origin.labelled(result.config());
    Descriptor config = settings.store().putBlob(labelled.render());
    ContentBlob manifest = new ImageManifest(config, result.layers(), Map.of()).render();
    Descriptor manifestDescriptor = settings.store().putBlob(manifest);
    List<String> references = new ArrayList<>();
    for (String tag : node.config().tags()) {
      String reference = graph.project().imageReference(node.config(), tag);
      settings.store().tag(reference, manifestDescriptor);
      references.add(reference);
    }
    NodeResult done =
        new NodeResult(
            node.name(),
            references,
            manifestDescriptor.digest(),
            config.digest(),
            executor.built(),
            executor.reused(),
            executor.ran(),
            Duration.ofNanos(System.nanoTime() - start),
            origin,
            plan.reasons().stream().map(Reason::describe).toList());
    settings.listener().nodeFinished(done);
    return new Built(
        done, BuildOrigin.withoutProvenance(labelled).render().digest(), executor.stepTimes());
  }

  private static BuildOrigin origin(BuildSession session, Node node) throws IOException {
    return BuildOrigin.of(
        session.graph(),
        node,
        (parent, reference) -> Optional.of(session.image(node, reference).descriptor().digest()));
  }

  /** Makes sure the images a node reads from outside the graph are in the store. */
  private static void fetchExternalImages(BuildSession session, Node node) throws IOException {
    for (int index : node.stages()) {
      ResolvedStage stage = node.file().stages().get(index);
      fetchExternal(session, node, stage.base(), stage.stage().location(), "");
      for (Dependency dependency : stage.dependencies()) {
        // COPY --from and RUN --mount=from name an image when they name no earlier stage: say so,
        // since a mistyped stage name ends up here.
        fetchExternal(
            session,
            node,
            dependency.source(),
            dependency.instruction().location(),
            dependency.source() instanceof StageReference.ImageRef image
                ? image.reference()
                    + " is no stage of this Containerfile before this one, so it names an image: "
                : "");
      }
    }
  }

  private static void fetchExternal(
      BuildSession session, Node node, StageReference reference, SourceSpan where, String hint)
      throws IOException {
    if (reference instanceof StageReference.ImageRef image
        && !node.nodeReferences().containsKey(image.reference())) {
      try {
        session.image(node, image.reference());
      } catch (BuildException e) {
        throw BuildException.at(where, hint + e.getMessage(), e);
      }
    }
  }

  /**
   * The names of {@code nodes} (every node when empty) and of the nodes they derive from; fails on
   * an unknown name, listing the project's nodes.
   */
  public static Set<String> select(DerivationGraph graph, List<String> nodes)
      throws BuildException {
    Set<String> selected = new LinkedHashSet<>();
    if (nodes.isEmpty()) {
      graph.nodes().forEach(n -> selected.add(n.name()));
      return selected;
    }
    List<String> queue = new ArrayList<>();
    for (String name : nodes) {
      if (graph.node(name).isEmpty()) {
        throw new BuildException(
            "no node '"
                + name
                + "' in the project; its nodes are "
                + String.join(", ", graph.nodes().stream().map(Node::name).toList()));
      }
      queue.add(name);
    }
    while (!queue.isEmpty()) {
      String name = queue.remove(0);
      if (selected.add(name)) {
        for (Edge edge : graph.incoming(name)) {
          queue.add(edge.parent());
        }
      }
    }
    return selected;
  }
}
