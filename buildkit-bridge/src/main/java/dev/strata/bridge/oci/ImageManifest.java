package dev.strata.bridge.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** An OCI image manifest: one config and its layers, in order. */
public record ImageManifest(
    Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
  public ImageManifest {
    Objects.requireNonNull(config, "config");
    layers = List.copyOf(layers);
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  /** The canonical bytes of this manifest, digested once. */
  public ContentBlob render() {
    ObjectNode node = CanonicalJson.MAPPER.createObjectNode();
    node.put("schemaVersion", 2).put("mediaType", MediaTypes.IMAGE_MANIFEST);
    node.set("config", config.toJson());
    var array = node.putArray("layers");
    layers.forEach(l -> array.add(l.toJson()));
    if (!annotations.isEmpty()) {
      ObjectNode a = node.putObject("annotations");
      annotations.forEach(a::put);
    }
    return ContentBlob.of(MediaTypes.IMAGE_MANIFEST, CanonicalJson.render(node));
  }

  /** Parses manifest bytes (OCI or Docker schema 2; the media types are kept as written). */
  public static ImageManifest parse(byte[] bytes) {
    JsonNode node = CanonicalJson.parse(bytes, "image manifest");
    if (!node.has("config")) {
      throw new IllegalArgumentException("image manifest has no config");
    }
    List<Descriptor> layers = new ArrayList<>();
    node.path("layers").forEach(l -> layers.add(Descriptor.fromJson(l)));
    Map<String, String> annotations = new TreeMap<>();
    node.path("annotations")
        .properties()
        .forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
    return new ImageManifest(Descriptor.fromJson(node.get("config")), layers, annotations);
  }
}
