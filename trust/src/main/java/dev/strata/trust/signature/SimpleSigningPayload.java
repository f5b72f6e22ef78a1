package dev.strata.trust.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.oci.Digest;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * The "simple signing" payload a cosign signature signs: which manifest digest, under which
 * reference. Strata puts {@code repository:tag} in {@code docker-reference} so the default
 * containers policy ({@code matchRepoDigestOrExact}) accepts it. Parsing is as strict as
 * containers/image's: exactly the keys it allows, or the signature would pass cosign but fail on a
 * bootc host.
 */
public record SimpleSigningPayload(
    String dockerReference, Digest manifestDigest, String creator, Long timestamp) {
  /** The only {@code critical.type} both verifiers accept. */
  public static final String TYPE = "cosign container image signature";

  private static final ObjectMapper JSON = new ObjectMapper();

  public SimpleSigningPayload {
    Objects.requireNonNull(dockerReference, "dockerReference");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
  }

  /** The compact UTF-8 JSON bytes that are signed and pushed (no trailing newline). */
  public byte[] bytes() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest.toString());
    critical.put("type", TYPE);
    if (creator == null && timestamp == null) {
      root.putNull("optional");
    } else {
      ObjectNode optional = root.putObject("optional");
      if (creator != null) {
        optional.put("creator", creator);
      }
      if (timestamp != null) {
        optional.put("timestamp", timestamp.longValue());
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always renders", e);
    }
  }

  /** Parses payload bytes with containers/image's rules; the message says what is wrong. */
  public static SimpleSigningPayload parse(byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("the signature payload is not JSON");
    }
    exactKeys(root, "payload", Set.of("critical", "optional"));
    JsonNode critical = root.get("critical");
    exactKeys(critical, "critical", Set.of("type", "image", "identity"));
    if (!TYPE.equals(critical.get("type").asText())) {
      throw new IllegalArgumentException(
          "the signature payload type is '"
              + critical.get("type").asText()
              + "', not '"
              + TYPE
              + "'");
    }
    exactKeys(critical.get("image"), "critical.image", Set.of("docker-manifest-digest"));
    exactKeys(critical.get("identity"), "critical.identity", Set.of("docker-reference"));
    Digest digest;
    try {
      digest = Digest.parse(critical.get("image").get("docker-manifest-digest").asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the signature payload's digest is invalid");
    }
    String reference = critical.get("identity").get("docker-reference").asText();
    JsonNode optional = root.get("optional");
    String creator = null;
    Long timestamp = null;
    if (!optional.isNull()) {
      if (!optional.isObject()) {
        throw new IllegalArgumentException("the signature payload's 'optional' is not an object");
      }
      JsonNode c = optional.get("creator");
      if (c != null) {
        if (!c.isTextual()) {
          throw new IllegalArgumentException("optional.creator is not a string");
        }
        creator = c.asText();
      }
      JsonNode t = optional.get("timestamp");
      if (t != null) {
        if (!t.isIntegralNumber()) {
          throw new IllegalArgumentException("optional.timestamp is not an integer");
        }
        timestamp = t.asLong();
      }
    }
    return new SimpleSigningPayload(reference, digest, creator, timestamp);
  }

  private static void exactKeys(JsonNode node, String where, Set<String> keys) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the signature payload's " + where + " is not an object");
    }
    for (String key : keys) {
      if (!node.has(key)) {
        throw new IllegalArgumentException(
            "the signature payload's " + where + " lacks '" + key + "'");
      }
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!keys.contains(name)) {
        throw new IllegalArgumentException(
            "the signature payload's " + where + " has unknown key '" + name + "'");
      }
    }
  }
}
