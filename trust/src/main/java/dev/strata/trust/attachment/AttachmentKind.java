package dev.strata.trust.attachment;

import dev.strata.bridge.oci.Digest;

/**
 * The two kinds of cosign attachment Strata writes, each at a tag derived from the image's manifest
 * digest in the image's own repository (the only place containers/image looks).
 */
public enum AttachmentKind {
  /** Simple-signing signatures: {@code sha256-<hex>.sig}. */
  SIGNATURE("sig"),
  /** DSSE in-toto attestations: {@code sha256-<hex>.att}. */
  ATTESTATION("att");

  private final String suffix;

  AttachmentKind(String suffix) {
    this.suffix = suffix;
  }

  /** The tag holding this kind of attachment for the image with manifest digest {@code image}. */
  public String tag(Digest image) {
    return image.algorithm() + "-" + image.hex() + "." + suffix;
  }
}
