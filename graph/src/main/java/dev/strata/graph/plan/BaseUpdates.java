package dev.strata.graph.plan;

import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@code strata check-updates} reasons about: the external images a graph reads, and what
 * moving strata.lock's pins to their current digests would rebuild. The current digests come from
 * the caller (the engine asks registries and the store); this class only compares and plans.
 */
public final class BaseUpdates {
  private static final String BASE = "base:";

  private BaseUpdates() {}

  /**
   * Every external image the nodes read (each stage's FROM, {@code COPY --from}, {@code RUN
   * --mount=from}), in canonical form, with the nodes that read it directly, in build order. A
   * reference pinned by digest in the Containerfile ({@code name@sha256:…}) is left out: it cannot
   * move.
   */
  public static SortedMap<String, List<String>> externalImages(DerivationGraph graph) {
    SortedMap<String, Set<String>> readers = new TreeMap<>();
    Map<String, NodeKeys> keys = CacheKeys.compute(graph, reference -> "");
    for (NodeKeys node : keys.values()) {
      for (StepKey step : node.steps()) {
        for (String input : step.inputs().keySet()) {
          if (!input.startsWith(BASE) || input.equals(BASE + "scratch")) {
            continue;
          }
          String reference = input.substring(BASE.length());
          if (!reference.contains("@")) {
            readers.computeIfAbsent(reference, r -> new LinkedHashSet<>()).add(node.node());
          }
        }
      }
    }
    SortedMap<String, List<String>> result = new TreeMap<>();
    readers.forEach((reference, nodes) -> result.put(reference, List.copyOf(nodes)));
    return result;
  }

  /**
   * The plan of moving {@code lock}'s pins to {@code current} (reference → digest): each node's
   * keys under the moved pins compared with its keys under the lock as it is, so every rebuild says
   * which base moved ({@link ReasonKind#BASE_DIGEST_MOVED}, old → new) or which parent it derives
   * from ({@link ReasonKind#PARENT_REBUILT}). {@code lock} itself is not changed.
   */
  public static Plan rebuilds(DerivationGraph graph, LockFile lock, Map<String, String> current) {
    Map<String, NodeKeys> before =
        CacheKeys.compute(
            graph, reference -> lock.digest(reference).orElse(Planner.UNPINNED + reference));
    LockFile moved = LockFile.parse(lock.path(), "");
    lock.pins().forEach(moved::pin);
    current.forEach(moved::pin);
    return Planner.plan(
        graph, moved, BaseImageResolver.OFFLINE, node -> Optional.ofNullable(before.get(node)));
  }

  /** The nodes that read {@code reference} directly and every node derived from them. */
  public static List<String> affected(
      DerivationGraph graph, SortedMap<String, List<String>> images, String reference) {
    Set<String> names = new LinkedHashSet<>(images.getOrDefault(reference, List.of()));
    for (String direct : images.getOrDefault(reference, List.of())) {
      graph.descendants(direct).forEach(n -> names.add(n.name()));
    }
    List<String> ordered = new ArrayList<>();
    for (Node node : graph.nodes()) {
      if (names.contains(node.name())) {
        ordered.add(node.name());
      }
    }
    return ordered;
  }
}
