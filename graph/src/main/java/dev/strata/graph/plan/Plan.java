package dev.strata.graph.plan;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A build plan: one entry per node in topological order, and notes about how it was made (for
 * example a base that is not pinned in strata.lock).
 */
public record Plan(List<NodePlan> nodes, List<String> notes) {

  public Plan {
    nodes = ImmutableList.copyOf(nodes);
    notes = ImmutableList.copyOf(notes);
  }

  /** The nodes that must be rebuilt. */
  public List<NodePlan> rebuilds() {
    return nodes.stream().filter(n -> !n.upToDate()).toList();
  }
}
