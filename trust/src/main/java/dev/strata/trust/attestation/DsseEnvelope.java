package dev.strata.trust.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.trust.key.SigningKey;
import dev.strata.trust.key.VerificationKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A DSSE envelope: the payload and signatures over its pre-authentication encoding {@code PAE =
 * "DSSEv1" SP len(type) SP type SP len(payload) SP payload} (byte lengths in ASCII decimal), never
 * over the payload alone.
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {
  /** One signature; {@code keyid} is empty as cosign writes it. */
  public record Signature(String keyid, byte[] sig) {
    public Signature {
      Objects.requireNonNull(keyid, "keyid");
      sig = sig.clone();
    }

    @Override
    public byte[] sig() {
      return sig.clone();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  public DsseEnvelope {
    Objects.requireNonNull(payloadType, "payloadType");
    payload = payload.clone();
    signatures = List.copyOf(signatures);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Signs {@code payload} of {@code payloadType} with {@code key}. */
  public static DsseEnvelope sign(String payloadType, byte[] payload, SigningKey key) {
    return new DsseEnvelope(
        payloadType, payload, List.of(new Signature("", key.sign(pae(payloadType, payload)))));
  }

  /** The pre-authentication encoding that is signed. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** Whether some signature verifies under {@code key}. */
  public boolean verifiedBy(VerificationKey key) {
    byte[] signed = pae(payloadType, payload);
    return signatures.stream().anyMatch(s -> key.verifies(signed, s.sig()));
  }

  /** The envelope JSON, the layer blob of the {@code .att} manifest. */
  public byte[] bytes() {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode root = JSON.createObjectNode();
    root.put("payloadType", payloadType);
    root.put("payload", b64.encodeToString(payload));
    ArrayNode sigs = root.putArray("signatures");
    signatures.forEach(
        s -> sigs.addObject().put("keyid", s.keyid()).put("sig", b64.encodeToString(s.sig())));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always renders", e);
    }
  }

  /** Parses envelope JSON. */
  public static DsseEnvelope parse(byte[] bytes) {
    try {
      JsonNode root = JSON.readTree(bytes);
      Base64.Decoder b64 = Base64.getDecoder();
      List<Signature> signatures = new ArrayList<>();
      for (JsonNode s : root.path("signatures")) {
        signatures.add(
            new Signature(s.path("keyid").asText(""), b64.decode(s.path("sig").asText())));
      }
      if (!root.path("payloadType").isTextual() || !root.path("payload").isTextual()) {
        throw new IllegalArgumentException("not a DSSE envelope (payloadType, payload missing)");
      }
      return new DsseEnvelope(
          root.get("payloadType").asText(), b64.decode(root.get("payload").asText()), signatures);
    } catch (IOException e) {
      throw new IllegalArgumentException("the DSSE envelope is not JSON");
    }
  }
}
