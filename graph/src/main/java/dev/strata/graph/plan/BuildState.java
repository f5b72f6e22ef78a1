package dev.strata.graph.plan;

import java.util.Optional;

/**
 * What was last built: the cache keys of each node's steps as they were when its image was made.
 * The engine records them after a build and implements this interface; the planner compares them
 * with the keys of the tree as it is now.
 */
public interface BuildState {

  /** The keys recorded by the last build of {@code node}, or empty if it was never built. */
  Optional<NodeKeys> lastBuild(String node);

  /** Nothing was ever built. */
  BuildState NONE = node -> Optional.empty();
}
