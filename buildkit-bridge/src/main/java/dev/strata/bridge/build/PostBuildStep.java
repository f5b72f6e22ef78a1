package dev.strata.bridge.build;

import java.io.IOException;

/**
 * What runs after each node's image is stored and before the next node builds: pushing, signing,
 * linting, recording, making disks. Unlike a {@link BuildListener}, it may fail the build.
 */
@FunctionalInterface
public interface PostBuildStep {
  /** Handles one stored node; throwing stops the build there. */
  void completed(NodeResult result) throws IOException;

  /** Does nothing. */
  PostBuildStep NONE = result -> {};
}
