package dev.strata.bridge.build;

import com.google.common.collect.ImmutableList;
import dev.strata.bridge.oci.Digest;
import java.time.Duration;
import java.util.List;

/**
 * One node's build: the references its image is stored under, the manifest and config digests, how
 * many steps ran and how many came from the cache, the first line of each step that ran, and how
 * long it took.
 */
public record NodeResult(
    String node,
    List<String> references,
    Digest manifest,
    Digest config,
    int stepsBuilt,
    int stepsReused,
    List<String> stepsRun,
    Duration time) {
  public NodeResult {
    references = ImmutableList.copyOf(references);
    stepsRun = ImmutableList.copyOf(stepsRun);
  }

  /** Whether nothing had to run. */
  public boolean reused() {
    return stepsBuilt == 0;
  }
}
