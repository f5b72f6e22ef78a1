package dev.strata.bridge.build;

/** Progress of a build, as events; the CLI prints them, tests may count them. */
public interface BuildListener {

  /** A node starts building. */
  default void nodeStarted(String node) {}

  /** A step of {@code node} runs ({@code cached} false) or is taken from the cache. */
  default void step(String node, String stage, String instruction, boolean cached) {}

  /** A step of {@code node} stored a layer of {@code bytes} (compressed). */
  default void layer(String node, long bytes) {}

  /** A line a RUN of {@code node} printed. */
  default void output(String node, String line, boolean stderr) {}

  /** A node is done. */
  default void nodeFinished(NodeResult result) {}

  /** A node failed with {@code message}. */
  default void nodeFailed(String node, String message) {}

  /** A node is not built because {@code failedParent}, which it derives from, failed. */
  default void nodeSkipped(String node, String failedParent) {}

  /** Hears nothing. */
  BuildListener SILENT = new BuildListener() {};
}
