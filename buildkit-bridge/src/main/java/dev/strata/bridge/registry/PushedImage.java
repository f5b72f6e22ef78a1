package dev.strata.bridge.registry;

import dev.strata.bridge.oci.Digest;
import dev.strata.graph.ImageName;
import java.util.Map;

/**
 * An image pushed to a registry: the remote reference, the digest it now resolves to, and what
 * happened to each blob (so callers and tests can tell uploads from skips and mounts).
 */
public record PushedImage(ImageName remote, Digest digest, Map<Digest, BlobPush> blobs) {
  public PushedImage {
    blobs = Map.copyOf(blobs);
  }

  /** How many blobs ended as {@code outcome}. */
  public long count(BlobPush outcome) {
    return blobs.values().stream().filter(outcome::equals).count();
  }
}
