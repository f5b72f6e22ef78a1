package dev.strata.bridge.build;

import java.util.List;

/**
 * What a graph build did: the nodes built or reused (in build order), the nodes that failed (a node
 * whose parent failed fails too, as {@code skipped}), and the nodes not started because the build
 * stopped at a failure (without {@code --keep-going}).
 */
public record BuildReport(
    List<NodeResult> results, List<Failure> failures, List<String> notStarted) {
  public BuildReport {
    results = List.copyOf(results);
    failures = List.copyOf(failures);
    notStarted = List.copyOf(notStarted);
  }

  /** One node that did not build: why, and whether it only inherited a parent's failure. */
  public record Failure(String node, String message, boolean skipped) {}

  /** Whether every selected node was built or reused. */
  public boolean succeeded() {
    return failures.isEmpty() && notStarted.isEmpty();
  }

  /** Nodes that ran at least one step. */
  public long built() {
    return results.stream().filter(r -> !r.reused()).count();
  }

  /** Nodes taken whole from the cache. */
  public long reused() {
    return results.stream().filter(NodeResult::reused).count();
  }
}
