package dev.strata.bridge.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** An image platform; {@code variant} and {@code osVersion} may be null. */
public record Platform(String architecture, String os, String variant, String osVersion) {
  public Platform {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(os, "os");
  }

  /** The only platform the native engine builds today. */
  public static final Platform LINUX_AMD64 = new Platform("amd64", "linux", null, null);

  ObjectNode toJson() {
    ObjectNode node = CanonicalJson.MAPPER.createObjectNode();
    node.put("architecture", architecture).put("os", os);
    if (variant != null) {
      node.put("variant", variant);
    }
    if (osVersion != null) {
      node.put("os.version", osVersion);
    }
    return node;
  }

  static Platform fromJson(JsonNode node) {
    return new Platform(
        node.path("architecture").asText(),
        node.path("os").asText(),
        node.hasNonNull("variant") ? node.get("variant").asText() : null,
        node.hasNonNull("os.version") ? node.get("os.version").asText() : null);
  }
}
