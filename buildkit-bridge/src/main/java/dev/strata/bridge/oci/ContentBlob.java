package dev.strata.bridge.oci;

import java.util.Map;
import java.util.Objects;

/**
 * A rendered OCI document (config, manifest or index): its exact bytes, media type and the digest
 * of those bytes. What is pushed or stored is always these bytes.
 */
public record ContentBlob(String mediaType, byte[] bytes, Digest digest) {
  public ContentBlob {
    Objects.requireNonNull(mediaType, "mediaType");
    bytes = bytes.clone();
    if (!Digest.sha256(bytes).equals(digest)) {
      throw new IllegalArgumentException("digest " + digest + " is not that of the given bytes");
    }
  }

  /** Wraps bytes, digesting them. */
  public static ContentBlob of(String mediaType, byte[] bytes) {
    return new ContentBlob(mediaType, bytes, Digest.sha256(bytes));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The descriptor that points at these bytes. */
  public Descriptor descriptor() {
    return new Descriptor(mediaType, digest, bytes.length, null, Map.of());
  }
}
