package dev.strata.bridge.build;

import com.google.common.collect.ImmutableList;
import dev.strata.bridge.oci.Digest;
import java.time.Duration;
import java.util.List;

/**
 * One node's build: the references its image is stored under, the manifest and config digests, how
 * many steps ran and how many came from the cache, and how long it took.
 */
public record NodeResult(
    String node,
    List<String> references,
    Digest manifest,
    Digest config,
    int stepsBuilt,
    int stepsReused,
    Duration time) {
  public NodeResult {
    references = ImmutableList.copyOf(references);
  }

  /** Whether nothing had to run. */
  public boolean reused() {
    return stepsBuilt == 0;
  }
}
