package dev.strata.bridge.registry;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.graph.ImageName;
import java.util.Optional;

/**
 * An image pulled into the local store.
 *
 * @param reference what was asked for; the store ref it is tagged under is {@code
 *     reference.canonical()}
 * @param source where it came from (a mirror, or {@code reference} itself)
 * @param manifest the platform manifest the store ref points at (exact registry bytes)
 * @param index the index the reference resolved to, when it named a multi-platform image (its exact
 *     bytes are kept in the store too)
 */
public record PulledImage(
    ImageName reference, ImageName source, Descriptor manifest, Optional<Digest> index) {
  /** The digest the reference resolved to on the registry: the index's, or the manifest's. */
  public Digest resolvedDigest() {
    return index.orElse(manifest.digest());
  }
}
