package dev.strata.trust.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.registry.Registry;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.graph.ImageName;
import dev.strata.trust.attachment.AttachedBlob;
import dev.strata.trust.attachment.AttachmentKind;
import dev.strata.trust.attachment.AttachmentManifest;
import dev.strata.trust.attachment.AttachmentStore;
import dev.strata.trust.attestation.CosignAttestation;
import dev.strata.trust.attestation.InTotoStatement;
import dev.strata.trust.attestation.PredicateType;
import dev.strata.trust.key.VerificationKey;
import dev.strata.trust.provenance.ImageReference;
import dev.strata.trust.provenance.SlsaProvenance;
import dev.strata.trust.signature.CosignSignature;
import dev.strata.trust.signature.SimpleSigningPayload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code strata verify}: checks an image's cosign signature (by an accepted key, for this digest,
 * under the reference asked for), its SBOM and provenance attestations, and then, following the
 * provenance's {@code parent}, the same for each parent image up the lineage.
 */
public final class ImageVerifier implements AutoCloseable {
  private static final int MAX_CHAIN = 32;

  private final RegistryConnector connector;
  private final List<VerificationKey> keys;
  private final boolean requireAttestations;
  private final Map<String, Registry> open = new HashMap<>();

  /**
   * @param keys the accepted public keys; a signature by any of them counts
   * @param requireAttestations whether a missing SBOM or provenance fails the image ({@code false}
   *     for images signed with {@code strata sign} only)
   */
  public ImageVerifier(
      RegistryConnector connector, List<VerificationKey> keys, boolean requireAttestations) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one public key is needed to verify");
    }
    this.connector = connector;
    this.keys = List.copyOf(keys);
    this.requireAttestations = requireAttestations;
  }

  /** Verifies {@code image} and its lineage. */
  public VerificationReport verify(ImageName image) {
    List<ImageCheck> chain = new ArrayList<>();
    Set<Digest> seen = new HashSet<>();
    ImageCheck check = checkImage(image, false, null);
    chain.add(check);
    while (check.parent().isPresent() && check.ok()) {
      ImageReference parent = check.parent().get();
      if (!seen.add(parent.digest()) || chain.size() >= MAX_CHAIN) {
        chain.add(
            failed(
                parent.reference(),
                Optional.of(parent.digest()),
                "the lineage loops or is deeper than " + MAX_CHAIN));
        break;
      }
      Optional<ImageName> name = ImageName.parse(parent.reference());
      if (name.isEmpty()) {
        chain.add(
            failed(
                parent.reference(),
                Optional.of(parent.digest()),
                "the provenance names an invalid parent reference"));
        break;
      }
      check = checkImage(name.get(), true, parent.digest());
      chain.add(check);
    }
    return new VerificationReport(chain);
  }

  private static ImageCheck failed(String reference, Optional<Digest> digest, String problem) {
    return new ImageCheck(
        reference,
        digest,
        List.of(),
        List.of(problem),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private ImageCheck checkImage(ImageName image, boolean byDigest, Digest pinned) {
    List<String> passed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    String reference = image.repository() + image.tag().map(t -> ":" + t).orElse("");
    Optional<Integer> packages = Optional.empty();
    Optional<ImageReference> parent = Optional.empty();
    Optional<ImageReference> base = Optional.empty();
    Digest digest = null;
    try {
      Registry registry = registry(image.domain());
      boolean digestOnly = byDigest || (image.digest().isPresent() && image.tag().isEmpty());
      String lookup =
          pinned != null ? pinned.toString() : image.digest().orElse(image.tag().orElse("latest"));
      Optional<ContentBlob> manifest = registry.manifest(image.path(), lookup);
      if (manifest.isEmpty()) {
        return failed(
            reference,
            Optional.ofNullable(pinned),
            "image " + image.repository() + " has no manifest '" + lookup + "'");
      }
      digest = manifest.get().digest();
      if (image.digest().isPresent() && !image.digest().get().equals(digest.toString())) {
        problems.add("the tag resolves to " + digest + ", not the pinned " + image.digest().get());
      }
      AttachmentStore store = new AttachmentStore(registry, image.path());
      checkSignatures(store, image, digest, digestOnly, passed, problems);
      Map<String, InTotoStatement> statements = new HashMap<>();
      checkAttestations(store, digest, statements);
      InTotoStatement sbom = statements.get(PredicateType.SPDX.uri());
      if (sbom != null) {
        int count = 0;
        for (JsonNode p : sbom.predicate().path("packages")) {
          if (p.path("SPDXID").asText().startsWith("SPDXRef-Package-")) {
            count++;
          }
        }
        packages = Optional.of(count);
        passed.add(
            "sbom: SPDX "
                + sbom.predicate().path("spdxVersion").asText("?").replace("SPDX-", "")
                + ", "
                + count
                + " packages");
      } else if (requireAttestations) {
        problems.add("sbom: no SPDX attestation signed by an accepted key");
      }
      InTotoStatement provenance = statements.get(PredicateType.SLSA_PROVENANCE_V1.uri());
      if (provenance != null) {
        JsonNode predicate = provenance.predicate();
        try {
          parent = SlsaProvenance.parent(predicate);
          base = SlsaProvenance.base(predicate);
          passed.add(
              "provenance: SLSA v1 by "
                  + SlsaProvenance.builderId(predicate)
                  + base.map(b -> ", base " + b).orElse("")
                  + parent.map(p -> ", parent " + p).orElse(", no parent node"));
        } catch (IllegalArgumentException e) {
          problems.add("provenance: " + e.getMessage());
        }
      } else if (requireAttestations) {
        problems.add("provenance: no SLSA provenance v1 attestation signed by an accepted key");
      }
    } catch (IOException | RuntimeException e) {
      problems.add("cannot read " + image.repository() + ": " + e.getMessage());
    }
    return new ImageCheck(
        reference, Optional.ofNullable(digest), passed, problems, packages, parent, base);
  }

  private void checkSignatures(
      AttachmentStore store,
      ImageName image,
      Digest digest,
      boolean byDigest,
      List<String> passed,
      List<String> problems)
      throws IOException {
    Optional<AttachmentManifest> sig = store.read(digest, AttachmentKind.SIGNATURE);
    if (sig.isEmpty()) {
      problems.add("signature: none (no " + AttachmentKind.SIGNATURE.tag(digest) + " tag)");
      return;
    }
    List<String> rejected = new ArrayList<>();
    for (Descriptor layer : sig.get().layers()) {
      if (!CosignSignature.MEDIA_TYPE.equals(layer.mediaType())) {
        continue;
      }
      AttachedBlob blob = store.fetch(layer);
      Optional<VerificationKey> signer = Optional.empty();
      Optional<SimpleSigningPayload> payload = Optional.empty();
      for (VerificationKey key : keys) {
        payload = CosignSignature.verify(blob, key);
        if (payload.isPresent()) {
          signer = Optional.of(key);
          break;
        }
      }
      if (payload.isEmpty()) {
        rejected.add("a signature not made by an accepted key, or over altered bytes");
        continue;
      }
      if (!payload.get().manifestDigest().equals(digest)) {
        rejected.add("a signature for another digest " + payload.get().manifestDigest());
        continue;
      }
      Optional<String> mismatch =
          SignedIdentity.mismatch(payload.get().dockerReference(), image, byDigest);
      if (mismatch.isPresent()) {
        rejected.add(mismatch.get());
        continue;
      }
      passed.add(
          "signature: "
              + payload.get().dockerReference()
              + " by key "
              + signer.get().fingerprint().substring(0, 19)
              + "…");
      return;
    }
    problems.add(
        "signature: none accepted"
            + (rejected.isEmpty() ? " (no signature layers)" : ": " + String.join("; ", rejected)));
  }

  private void checkAttestations(
      AttachmentStore store, Digest digest, Map<String, InTotoStatement> statements)
      throws IOException {
    Optional<AttachmentManifest> att = store.read(digest, AttachmentKind.ATTESTATION);
    if (att.isEmpty()) {
      return;
    }
    for (Descriptor layer : att.get().layers()) {
      if (!CosignAttestation.MEDIA_TYPE.equals(layer.mediaType())) {
        continue;
      }
      AttachedBlob blob = store.fetch(layer);
      for (VerificationKey key : keys) {
        Optional<InTotoStatement> statement = CosignAttestation.verify(blob, key, digest);
        if (statement.isPresent()) {
          statements.putIfAbsent(statement.get().predicateType(), statement.get());
          break;
        }
      }
    }
  }

  private Registry registry(String host) throws IOException {
    Registry registry = open.get(host);
    if (registry == null) {
      registry = connector.connect(host);
      open.put(host, registry);
    }
    return registry;
  }

  @Override
  public void close() throws IOException {
    for (Registry registry : open.values()) {
      registry.close();
    }
    open.clear();
  }
}
