package dev.strata.graph.plan;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A test {@link BuildState}: "building" a plan records its keys, as the engine will. */
final class RecordedBuilds implements BuildState {
  private final Map<String, NodeKeys> built = new HashMap<>();

  void record(Plan plan) {
    plan.nodes().forEach(n -> built.put(n.node(), n.keys()));
  }

  @Override
  public Optional<NodeKeys> lastBuild(String node) {
    return Optional.ofNullable(built.get(node));
  }
}
