package dev.strata.graph;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.strata.graph.project.ProjectConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jgrapht.Graph;
import org.jgrapht.graph.AsUnmodifiableGraph;

/**
 * The SOE derivation graph of a project: nodes in a stable topological order (by wave, then by
 * declaration), edges from parent to child, and the waves of nodes that can build in parallel.
 * Build it with {@link GraphBuilder}.
 */
public final class DerivationGraph {
  private final ProjectConfig project;
  private final Map<String, Node> nodes;
  private final Graph<String, Edge> graph;
  private final Map<String, Integer> waveOf;

  DerivationGraph(
      ProjectConfig project,
      Map<String, Node> nodes,
      Graph<String, Edge> graph,
      Map<String, Integer> waveOf) {
    this.project = project;
    this.nodes = ImmutableMap.copyOf(nodes);
    this.graph = new AsUnmodifiableGraph<>(graph);
    this.waveOf = ImmutableMap.copyOf(waveOf);
  }

  public ProjectConfig project() {
    return project;
  }

  /** Every node, parents before children. */
  public List<Node> nodes() {
    return ImmutableList.copyOf(nodes.values());
  }

  public Optional<Node> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  /** The jgrapht view (read-only): vertices are node names. */
  public Graph<String, Edge> graph() {
    return graph;
  }

  /** Every edge, ordered by child then parent as the nodes are. */
  public List<Edge> edges() {
    List<Edge> edges = new ArrayList<>(graph.edgeSet());
    List<String> order = ImmutableList.copyOf(nodes.keySet());
    edges.sort(
        Comparator.comparingInt((Edge e) -> order.indexOf(e.child()))
            .thenComparingInt(e -> order.indexOf(e.parent()))
            .thenComparing(e -> e.position().line()));
    return edges;
  }

  /** The edges into {@code name}: what it reads from other nodes. */
  public List<Edge> incoming(String name) {
    return edges().stream().filter(e -> e.child().equals(name)).toList();
  }

  /** The nodes whose FROM chain starts at {@code name}. */
  public List<Node> children(String name) {
    return nodes.values().stream().filter(n -> n.parent().map(name::equals).orElse(false)).toList();
  }

  /** The nodes that read {@code name} in any way, directly or through other nodes. */
  public List<Node> descendants(String name) {
    List<String> found = new ArrayList<>();
    List<String> queue = new ArrayList<>(List.of(name));
    while (!queue.isEmpty()) {
      String current = queue.remove(0);
      for (Edge e : graph.outgoingEdgesOf(current)) {
        if (!found.contains(e.child())) {
          found.add(e.child());
          queue.add(e.child());
        }
      }
    }
    return nodes.values().stream().filter(n -> found.contains(n.name())).toList();
  }

  /**
   * The 1-based wave of {@code name}: every node of wave n can build once waves 1..n-1 are done.
   */
  public int wave(String name) {
    return waveOf.get(name);
  }

  /** The waves, in order; each wave in node order. */
  public List<List<Node>> waves() {
    int count = waveOf.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    List<List<Node>> waves = new ArrayList<>();
    for (int w = 1; w <= count; w++) {
      int wave = w;
      waves.add(nodes.values().stream().filter(n -> waveOf.get(n.name()) == wave).toList());
    }
    return waves;
  }
}
