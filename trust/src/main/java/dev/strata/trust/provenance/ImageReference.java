package dev.strata.trust.provenance;

import dev.strata.bridge.oci.Digest;
import java.util.Objects;

/**
 * An image as provenance names it: the reference it was pulled or pushed as ({@code
 * registry/repo:tag}) and the manifest digest it resolved to.
 */
public record ImageReference(String reference, Digest digest) {
  public ImageReference {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(digest, "digest");
  }

  /** {@code reference@digest}: pins the exact image while keeping the readable name. */
  @Override
  public String toString() {
    return reference + "@" + digest;
  }
}
