package dev.strata.bridge.buildkit;

import dev.strata.bridge.build.BuildListener;

/**
 * Progress of a build on BuildKit, as events: the native engine's node events plus each {@code
 * docker buildx build} invocation and each line of BuildKit's plain progress, tagged with its node.
 */
public interface BuildKitListener extends BuildListener {

  /** {@code invocation} is about to run. */
  default void invocation(BuildxInvocation invocation) {}

  /** BuildKit printed {@code line} while building {@code node}. */
  default void progress(String node, String line) {}

  /** A node the plan finds up to date (and whose image is stored) is not sent to BuildKit. */
  default void skipped(String node) {}

  /** Hears nothing. */
  BuildKitListener SILENT = new BuildKitListener() {};
}
