package dev.strata.trust.attachment;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import java.util.Map;
import java.util.Objects;

/** One layer of an attachment manifest together with its bytes (a payload or an envelope). */
public record AttachedBlob(Descriptor descriptor, byte[] bytes) {
  public AttachedBlob {
    Objects.requireNonNull(descriptor, "descriptor");
    bytes = bytes.clone();
    if (!Digest.sha256(bytes).equals(descriptor.digest()) || bytes.length != descriptor.size()) {
      throw new IllegalArgumentException(
          "attachment layer " + descriptor.digest() + " does not match its bytes");
    }
  }

  /** Wraps {@code bytes} as a layer of {@code mediaType} with {@code annotations}. */
  public static AttachedBlob of(String mediaType, byte[] bytes, Map<String, String> annotations) {
    return new AttachedBlob(
        new Descriptor(mediaType, Digest.sha256(bytes), bytes.length, null, annotations), bytes);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
