package dev.strata.bridge.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** An OCI content descriptor; {@code platform} is set only inside an index. */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    Platform platform,
    Map<String, String> annotations) {
  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size + " for " + digest);
    }
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  /** This descriptor with one more annotation. */
  public Descriptor withAnnotation(String key, String value) {
    Map<String, String> more = new TreeMap<>(annotations);
    more.put(key, value);
    return new Descriptor(mediaType, digest, size, platform, more);
  }

  /** This descriptor for use in an index, with a platform. */
  public Descriptor withPlatform(Platform newPlatform) {
    return new Descriptor(mediaType, digest, size, newPlatform, annotations);
  }

  ObjectNode toJson() {
    ObjectNode node = CanonicalJson.MAPPER.createObjectNode();
    node.put("mediaType", mediaType).put("digest", digest.toString()).put("size", size);
    if (platform != null) {
      node.set("platform", platform.toJson());
    }
    if (!annotations.isEmpty()) {
      ObjectNode a = node.putObject("annotations");
      annotations.forEach(a::put);
    }
    return node;
  }

  static Descriptor fromJson(JsonNode node) {
    Map<String, String> annotations = new TreeMap<>();
    node.path("annotations")
        .properties()
        .forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
    return new Descriptor(
        node.path("mediaType").asText(),
        Digest.parse(node.path("digest").asText()),
        node.path("size").asLong(),
        node.hasNonNull("platform") ? Platform.fromJson(node.get("platform")) : null,
        annotations);
  }
}
