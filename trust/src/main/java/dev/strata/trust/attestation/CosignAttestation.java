package dev.strata.trust.attestation;

import dev.strata.trust.attachment.AttachedBlob;
import dev.strata.trust.key.SigningKey;
import dev.strata.trust.key.VerificationKey;
import dev.strata.trust.signature.CosignSignature;
import java.util.Map;
import java.util.Optional;

/**
 * An attestation as one layer of the {@code .att} manifest: the DSSE envelope of an in-toto
 * statement, annotated with its predicate type and an empty signature annotation, as {@code cosign
 * attest} writes it.
 */
public final class CosignAttestation {
  /** The layer media type of a DSSE envelope. */
  public static final String MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";

  /** The annotation naming the predicate type of the envelope's statement. */
  public static final String PREDICATE_TYPE_ANNOTATION = "predicateType";

  private CosignAttestation() {}

  /** Signs {@code statement} into the layer to append to the {@code .att} manifest. */
  public static AttachedBlob sign(InTotoStatement statement, SigningKey key) {
    DsseEnvelope envelope = DsseEnvelope.sign(InTotoStatement.PAYLOAD_TYPE, statement.bytes(), key);
    return AttachedBlob.of(
        MEDIA_TYPE,
        envelope.bytes(),
        Map.of(
            CosignSignature.SIGNATURE_ANNOTATION,
            "",
            PREDICATE_TYPE_ANNOTATION,
            statement.predicateType()));
  }

  /**
   * The statement of {@code layer} when the envelope verifies under {@code key} and is about {@code
   * statementDigest}; empty otherwise.
   */
  public static Optional<InTotoStatement> verify(
      AttachedBlob layer, VerificationKey key, dev.strata.bridge.oci.Digest imageDigest) {
    if (!MEDIA_TYPE.equals(layer.descriptor().mediaType())) {
      return Optional.empty();
    }
    try {
      DsseEnvelope envelope = DsseEnvelope.parse(layer.bytes());
      if (!InTotoStatement.PAYLOAD_TYPE.equals(envelope.payloadType())
          || !envelope.verifiedBy(key)) {
        return Optional.empty();
      }
      return Optional.of(InTotoStatement.parse(envelope.payload(), imageDigest));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
