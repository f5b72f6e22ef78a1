package dev.strata.bridge.build;

/** Progress of a build, as events; the CLI prints them, tests may count them. */
public interface BuildListener {

  /** A node starts building. */
  default void nodeStarted(String node) {}

  /** A step of {@code node} runs ({@code cached} false) or is taken from the cache. */
  default void step(String node, String stage, String instruction, boolean cached) {}

  /** A node is done. */
  default void nodeFinished(NodeResult result) {}

  /** Hears nothing. */
  BuildListener SILENT = new BuildListener() {};
}
