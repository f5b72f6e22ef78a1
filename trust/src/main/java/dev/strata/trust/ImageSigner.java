package dev.strata.trust;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.registry.PushedImage;
import dev.strata.bridge.registry.Registry;
import dev.strata.graph.ImageName;
import dev.strata.trust.attachment.AttachedBlob;
import dev.strata.trust.attachment.AttachmentKind;
import dev.strata.trust.attachment.AttachmentStore;
import dev.strata.trust.attestation.CosignAttestation;
import dev.strata.trust.attestation.InTotoStatement;
import dev.strata.trust.attestation.PredicateType;
import dev.strata.trust.key.SigningKey;
import dev.strata.trust.provenance.BuildProvenance;
import dev.strata.trust.provenance.SlsaProvenance;
import dev.strata.trust.sbom.ImagePackages;
import dev.strata.trust.sbom.SpdxDocument;
import dev.strata.trust.signature.CosignSignature;
import dev.strata.trust.signature.SimpleSigningPayload;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Signs and attests images in a registry, in cosign's format. It signs only a digest its caller
 * pushed ({@link PushedImage}) or that it resolved itself from a tag ({@link #signTag}); one
 * signature layer per tag, whose {@code docker-reference} is {@code registry/repository:tag}.
 */
public final class ImageSigner {
  private final SigningKey key;
  private final String creator;
  private final Clock clock;

  /**
   * @param creator written into each payload's {@code optional.creator}, e.g. {@code strata 0.1.0}
   */
  public ImageSigner(SigningKey key, String creator, Clock clock) {
    this.key = key;
    this.creator = creator;
    this.clock = clock;
  }

  /** What was attached to one image. */
  public record Signed(ImageName image, Digest digest, List<String> identities, int attestations) {}

  /**
   * After {@code strata build --push --sign}: signs the pushed digest under every tag it was pushed
   * as, and attaches the SBOM (when {@code packages} is present) and the provenance (when {@code
   * provenance} is present).
   *
   * @param tags the tags the digest was pushed under; {@code pushed.remote()}'s own tag is used
   *     when empty
   */
  public Signed signPushed(
      Registry registry,
      PushedImage pushed,
      List<String> tags,
      Optional<ImagePackages> packages,
      Optional<BuildProvenance> provenance)
      throws IOException {
    ImageName remote = pushed.remote();
    List<String> allTags = tags.isEmpty() ? remote.tag().stream().toList() : tags;
    if (allTags.isEmpty()) {
      throw new IllegalArgumentException(
          remote + " has no tag: a signature needs repository:tag for the default host policy");
    }
    List<String> identities = new ArrayList<>();
    for (String tag : allTags) {
      identities.add(remote.repository() + ":" + tag);
    }
    sign(registry, remote.path(), pushed.digest(), identities);
    List<InTotoStatement> statements = new ArrayList<>();
    if (packages.isPresent()) {
      statements.add(
          new InTotoStatement(
              remote.repository(),
              pushed.digest(),
              PredicateType.SPDX.uri(),
              SpdxDocument.of(
                  remote.repository(), pushed.digest(), packages.get(), clock.instant(), tool())));
    }
    provenance.ifPresent(
        p ->
            statements.add(
                new InTotoStatement(
                    remote.repository(),
                    pushed.digest(),
                    PredicateType.SLSA_PROVENANCE_V1.uri(),
                    SlsaProvenance.predicate(p))));
    attest(registry, remote.path(), pushed.digest(), statements);
    return new Signed(remote, pushed.digest(), identities, statements.size());
  }

  /**
   * {@code strata sign REF}: resolves {@code image}'s tag on the registry and signs that digest.
   * When {@code image} also pins a digest, the tag must still resolve to it, or nothing is signed
   * (the tag moved, or the reference was re-tagged).
   */
  public Signed signTag(Registry registry, ImageName image) throws IOException {
    if (image.tag().isEmpty()) {
      throw new IllegalArgumentException(
          image
              + ": name the tag to sign (e.g. "
              + image.repository()
              + ":latest); a signature without a tag is refused by the default host policy");
    }
    String tag = image.tag().get();
    ContentBlob manifest =
        registry
            .manifest(image.path(), tag)
            .orElseThrow(() -> new IOException(image.repository() + ":" + tag + " does not exist"));
    Digest digest = manifest.digest();
    if (image.digest().isPresent() && !image.digest().get().equals(digest.toString())) {
      throw new IOException(
          image.repository()
              + ":"
              + tag
              + " now resolves to "
              + digest
              + ", not "
              + image.digest().get()
              + "; nothing signed");
    }
    String identity = image.repository() + ":" + tag;
    sign(registry, image.path(), digest, List.of(identity));
    return new Signed(image, digest, List.of(identity), 0);
  }

  /** Appends one signature layer per identity to {@code sha256-<hex>.sig}. */
  public void sign(Registry registry, String repository, Digest digest, List<String> identities)
      throws IOException {
    long now = clock.instant().getEpochSecond();
    List<AttachedBlob> layers = new ArrayList<>();
    for (String identity : identities) {
      layers.add(
          CosignSignature.sign(new SimpleSigningPayload(identity, digest, creator, now), key));
    }
    new AttachmentStore(registry, repository).append(digest, AttachmentKind.SIGNATURE, layers);
  }

  /** Appends one DSSE layer per statement to {@code sha256-<hex>.att}. */
  public void attest(
      Registry registry, String repository, Digest digest, List<InTotoStatement> statements)
      throws IOException {
    if (statements.isEmpty()) {
      return;
    }
    List<AttachedBlob> layers = new ArrayList<>();
    for (InTotoStatement statement : statements) {
      if (!statement.subjectDigest().equals(digest)) {
        throw new IllegalArgumentException(
            "statement about " + statement.subjectDigest() + " cannot be attached to " + digest);
      }
      layers.add(CosignAttestation.sign(statement, key));
    }
    new AttachmentStore(registry, repository).append(digest, AttachmentKind.ATTESTATION, layers);
  }

  private String tool() {
    return creator.replace(' ', '-');
  }
}
