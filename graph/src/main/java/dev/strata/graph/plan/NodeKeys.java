package dev.strata.graph.plan;

import com.google.common.collect.ImmutableList;
import java.util.List;

/** Every step key of one node, in build order; the last is the key of the node's image. */
public record NodeKeys(String node, List<StepKey> steps) {

  public NodeKeys {
    steps = ImmutableList.copyOf(steps);
  }

  /** The key of the node's result (its last step). */
  public String finalKey() {
    return steps.isEmpty() ? "" : steps.get(steps.size() - 1).key();
  }
}
