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

  /**
   * The identity of the image the last build of {@code node} made, if that build's final key was
   * {@code finalKey}: the digest of its config without the provenance labels the engine writes,
   * which covers the diffID chain ({@code rootfs.diff_ids}) and every other config byte. A child
   * keys its FROM on this instead of the parent's final key once the parent is built, so a parent
   * rebuilt byte-identically does not rebuild its children (DESIGN.md key decision 3), nor does a
   * parent whose only change is where it says it was built from (a comment in its Containerfile
   * moves its Containerfile digest label): the children are labelled again, their steps stay
   * cached. Empty when unknown (the default).
   */
  default Optional<String> resultOf(String node, String finalKey) {
    return Optional.empty();
  }

  /** Nothing was ever built. */
  BuildState NONE = node -> Optional.empty();
}
