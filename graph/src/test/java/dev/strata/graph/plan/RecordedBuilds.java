package dev.strata.graph.plan;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A test {@link BuildState}: "building" a plan records its keys, as the engine will, and optionally
 * the config digest each build produced (for early cut-off).
 */
final class RecordedBuilds implements BuildState {
  private final Map<String, NodeKeys> built = new HashMap<>();
  private final Map<String, String> results = new HashMap<>();

  void record(Plan plan) {
    plan.nodes().forEach(n -> built.put(n.node(), n.keys()));
  }

  /** Records one node as built with {@code keys}, producing an image whose config is {@code r}. */
  void record(NodeKeys keys, String result) {
    built.put(keys.node(), keys);
    results.put(keys.node(), keys.finalKey() + " " + result);
  }

  @Override
  public Optional<NodeKeys> lastBuild(String node) {
    return Optional.ofNullable(built.get(node));
  }

  @Override
  public Optional<String> resultOf(String node, String finalKey) {
    String recorded = results.get(node);
    if (recorded == null || !recorded.startsWith(finalKey + " ")) {
      return Optional.empty();
    }
    return Optional.of(recorded.substring(finalKey.length() + 1));
  }
}
