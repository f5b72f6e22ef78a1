package dev.strata.trust.verify;

import dev.strata.bridge.oci.Digest;
import dev.strata.trust.provenance.ImageReference;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ImageVerifier} found for one image of the chain: its reference and digest, each check
 * that passed, each problem, the SBOM's package count and the lineage its provenance names.
 */
public record ImageCheck(
    String reference,
    Optional<Digest> digest,
    List<String> passed,
    List<String> problems,
    Optional<Integer> packageCount,
    Optional<ImageReference> parent,
    Optional<ImageReference> base) {
  public ImageCheck {
    passed = List.copyOf(passed);
    problems = List.copyOf(problems);
  }

  /** Whether nothing is wrong with this image. */
  public boolean ok() {
    return problems.isEmpty();
  }
}
