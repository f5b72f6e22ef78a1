package dev.strata.cli;

import dev.strata.bridge.build.NodeResult;
import dev.strata.bridge.registry.ImageTransfer;
import dev.strata.bridge.registry.PushedImage;
import dev.strata.graph.ImageName;
import dev.strata.trust.ImageSigner;
import dev.strata.trust.key.SigningKey;
import dev.strata.trust.provenance.BuildProvenance;
import dev.strata.trust.sbom.ImagePackages;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code strata build --push [--sign]}: pushes each built node under every reference it is stored
 * as ({@code <registry>/<image>:<tag>}), through one {@link ImageTransfer} for the whole build so a
 * child's base layers are mounted from its parent's repository rather than uploaded again; then,
 * when a signer is given, signs the pushed digest under each tag and attaches the SBOM and the SLSA
 * provenance, over the transfer's own connection.
 */
final class NodePublisher implements AutoCloseable {
  private final ImageTransfer transfer;
  private final Optional<ImageSigner> signer;

  /** What became of one node: where it was pushed, and what was signed and attached. */
  record Published(ImageName remote, PushedImage pushed, List<String> tags, boolean signed) {
    /** {@code registry/repository:tag} of the first tag, as a provenance names a parent. */
    String taggedReference() {
      return remote.repository() + ":" + tags.get(0);
    }

    /** The signature tag cosign reads: {@code registry/repository:sha256-<hex>.sig}. */
    String signatureReference() {
      return remote.repository() + ":sha256-" + pushed.digest().hex() + ".sig";
    }

    /** The attestation tag: {@code registry/repository:sha256-<hex>.att}. */
    String attestationReference() {
      return remote.repository() + ":sha256-" + pushed.digest().hex() + ".att";
    }
  }

  private final Optional<String> keyFingerprint;

  /**
   * @param key the signing key ({@code --sign}), or empty to push only
   * @param creator written into each signature payload, e.g. {@code strata 0.1.0}
   */
  NodePublisher(ImageTransfer transfer, Optional<SigningKey> key, String creator) {
    this.transfer = transfer;
    this.signer = key.map(k -> new ImageSigner(k, creator, Clock.systemUTC()));
    this.keyFingerprint = key.map(k -> k.publicKey().fingerprint());
  }

  boolean signs() {
    return signer.isPresent();
  }

  /** The public fingerprint of the signing key (never the key itself), when signing. */
  Optional<String> keyFingerprint() {
    return keyFingerprint;
  }

  /**
   * Pushes {@code result} under each of its references; signs and attests it when a signer is set.
   *
   * @throws IOException when a reference names no registry, or a push or signature fails
   */
  Published publish(
      NodeResult result, Optional<ImagePackages> packages, Optional<BuildProvenance> provenance)
      throws IOException {
    ImageName first = null;
    PushedImage pushed = null;
    List<String> tags = new ArrayList<>();
    for (String reference : result.references()) {
      ImageName remote = remoteName(reference);
      PushedImage done = transfer.push(reference, remote);
      if (first == null) {
        first = remote;
        pushed = done;
      } else if (!remote.repository().equals(first.repository())) {
        throw new IOException(
            "node " + result.node() + " is stored under two repositories; cannot sign it as one");
      }
      tags.add(remote.tag().orElseThrow());
    }
    if (pushed == null) {
      throw new IOException("node " + result.node() + " has no reference to push");
    }
    if (signer.isEmpty()) {
      return new Published(first, pushed, tags, false);
    }
    signer.get().signPushed(transfer.registry(first.domain()), pushed, tags, packages, provenance);
    return new Published(first, pushed, tags, true);
  }

  /** The registry name a stored reference is pushed as; it must name a registry host. */
  static ImageName remoteName(String reference) throws IOException {
    Optional<ImageName> name = ImageName.parse(reference);
    String host = reference.contains("/") ? reference.substring(0, reference.indexOf('/')) : "";
    boolean namesHost = host.contains(".") || host.contains(":") || host.equals("localhost");
    if (name.isEmpty() || !namesHost || name.get().tag().isEmpty()) {
      throw new IOException(
          reference
              + " names no registry: --push needs 'registry: HOST[:PORT]/PREFIX' in strata.yaml"
              + " so images are stored as <registry>/<image>:<tag>");
    }
    return name.get();
  }

  @Override
  public void close() throws IOException {
    transfer.close();
  }
}
