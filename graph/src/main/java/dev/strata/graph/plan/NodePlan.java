package dev.strata.graph.plan;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * What the plan says about one node: up to date, or rebuild from a step (1-based, with the
 * instruction as written), with every reason; and the keys the build will record.
 */
public record NodePlan(
    String node,
    Optional<Integer> rebuildFrom,
    String rebuildFromText,
    List<Reason> reasons,
    NodeKeys keys) {

  public NodePlan {
    reasons = ImmutableList.copyOf(reasons);
  }

  public boolean upToDate() {
    return rebuildFrom.isEmpty();
  }

  /** {@code up-to-date} or {@code rebuild from step N (TEXT)}. */
  public String summary() {
    return rebuildFrom
        .map(step -> "rebuild from step " + step + " (" + rebuildFromText + ")")
        .orElse("up-to-date");
  }
}
