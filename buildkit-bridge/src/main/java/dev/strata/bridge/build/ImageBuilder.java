package dev.strata.bridge.build;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.dsl.eval.Dependency;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.dsl.eval.StageReference;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Edge;
import dev.strata.graph.Node;
import dev.strata.graph.plan.BaseImageResolver;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.plan.NodeKeys;
import dev.strata.graph.plan.NodePlan;
import dev.strata.graph.plan.Plan;
import dev.strata.graph.plan.Planner;
import dev.strata.graph.plan.StepKey;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
   * Builds {@code nodes} (every node when empty) and the nodes they derive from, in topological
   * order. Stops at the first failure.
   */
  public List<NodeResult> build(DerivationGraph graph, List<String> nodes, LockFile lock)
      throws IOException {
    Set<String> selected = select(graph, nodes);
    BuildSession session = new BuildSession(settings, graph, lock);
    for (Node node : graph.nodes()) {
      if (selected.contains(node.name())) {
        fetchExternalImages(session, node);
      }
    }
    StoreBuildState state = new StoreBuildState(settings.store(), graph.project().directory());
    List<NodeResult> results = new ArrayList<>();
    for (Node node : graph.nodes()) {
      if (!selected.contains(node.name())) {
        continue;
      }
      // Planned per node, after its parents are stored, so a parent's result is known.
      Plan plan = Planner.plan(graph, lock, storeResolver(settings.store()), state);
      NodeKeys keys =
          plan.nodes().stream()
              .filter(p -> p.node().equals(node.name()))
              .map(NodePlan::keys)
              .findFirst()
              .orElseThrow();
      NodeResult result = buildNode(session, graph, node, keys);
      results.add(result);
      state.record(keys, result.config());
    }
    return results;
  }

  private NodeResult buildNode(
      BuildSession session, DerivationGraph graph, Node node, NodeKeys keys) throws IOException {
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
    Descriptor config = settings.store().putBlob(result.config().render());
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
            Duration.ofNanos(System.nanoTime() - start));
    settings.listener().nodeFinished(done);
    return done;
  }

  /** Makes sure the images a node reads from outside the graph are in the store. */
  private static void fetchExternalImages(BuildSession session, Node node) throws IOException {
    for (int index : node.stages()) {
      ResolvedStage stage = node.file().stages().get(index);
      List<StageReference> references = new ArrayList<>();
      references.add(stage.base());
      stage.dependencies().stream().map(Dependency::source).forEach(references::add);
      for (StageReference reference : references) {
        if (reference instanceof StageReference.ImageRef image
            && !node.nodeReferences().containsKey(image.reference())) {
          try {
            session.image(node, image.reference());
          } catch (BuildException e) {
            throw BuildException.at(stage.stage().location(), e.getMessage(), e);
          }
        }
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
