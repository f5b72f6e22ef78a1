package dev.strata.bridge.build;

import com.google.common.collect.ImmutableList;
import dev.strata.bridge.oci.Digest;
import java.time.Duration;
import java.util.List;

/**
 * One node's build: the references its image is stored under, the manifest and config digests, how
 * many steps ran and how many came from the cache, the first line of each step that ran, how long
 * it took, where the image comes from, and why the plan rebuilt it (empty when it was up to date).
 */
public record NodeResult(
    String node,
    List<String> references,
    Digest manifest,
    Digest config,
    int stepsBuilt,
    int stepsReused,
    List<String> stepsRun,
    Duration time,
    BuildOrigin origin,
    List<String> reasons) {
  public NodeResult {
    references = ImmutableList.copyOf(references);
    stepsRun = ImmutableList.copyOf(stepsRun);
    reasons = ImmutableList.copyOf(reasons);
  }

  /** Whether nothing had to run. */
  public boolean reused() {
    return stepsBuilt == 0;
  }
}
