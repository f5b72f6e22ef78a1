package dev.strata.trust.signature;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.trust.attachment.AttachedBlob;
import dev.strata.trust.key.SigningKey;
import dev.strata.trust.key.VerificationKey;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A cosign signature as one layer of the {@code .sig} manifest: the simple-signing payload as the
 * blob, the base64 DER ECDSA signature over it in the {@code dev.cosignproject.cosign/signature}
 * annotation.
 */
public final class CosignSignature {
  /** The layer media type of a simple-signing payload. */
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";

  /** The annotation holding the base64 signature. */
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

  private CosignSignature() {}

  /** Signs {@code payload} into the layer to append to the {@code .sig} manifest. */
  public static AttachedBlob sign(SimpleSigningPayload payload, SigningKey key) {
    byte[] bytes = payload.bytes();
    String signature = Base64.getEncoder().encodeToString(key.sign(bytes));
    return AttachedBlob.of(MEDIA_TYPE, bytes, Map.of(SIGNATURE_ANNOTATION, signature));
  }

  /**
   * The payload of {@code layer} when its signature verifies under {@code key}; empty when the
   * layer is not a simple-signing signature, is not signed by that key, or its payload is
   * malformed.
   */
  public static Optional<SimpleSigningPayload> verify(AttachedBlob layer, VerificationKey key) {
    Descriptor descriptor = layer.descriptor();
    String encoded = descriptor.annotations().get(SIGNATURE_ANNOTATION);
    if (!MEDIA_TYPE.equals(descriptor.mediaType()) || encoded == null || encoded.isEmpty()) {
      return Optional.empty();
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    byte[] bytes = layer.bytes();
    if (!key.verifies(bytes, signature)) {
      return Optional.empty();
    }
    try {
      return Optional.of(SimpleSigningPayload.parse(bytes));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
