package dev.strata.bridge.tar;

import dev.strata.bridge.oci.Digest;
import java.util.Objects;

/**
 * The identities of one compressed layer: {@code diffId} is the sha256 of the uncompressed tar
 * (what the image config lists), {@code digest} and {@code size} describe the compressed blob (what
 * the manifest lists).
 */
public record LayerDigests(Digest diffId, Digest digest, long size) {
  public LayerDigests {
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("negative blob size " + size);
    }
  }
}
