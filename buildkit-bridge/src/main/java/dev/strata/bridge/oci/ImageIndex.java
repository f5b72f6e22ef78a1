package dev.strata.bridge.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An OCI image index: manifests by platform, or (in an OCI layout) by ref name annotation. */
public record ImageIndex(List<Descriptor> manifests, Map<String, String> annotations) {
  public ImageIndex {
    manifests = List.copyOf(manifests);
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  /** The canonical bytes of this index, digested once. */
  public ContentBlob render() {
    ObjectNode node = CanonicalJson.MAPPER.createObjectNode();
    node.put("schemaVersion", 2).put("mediaType", MediaTypes.IMAGE_INDEX);
    var array = node.putArray("manifests");
    manifests.forEach(m -> array.add(m.toJson()));
    if (!annotations.isEmpty()) {
      ObjectNode a = node.putObject("annotations");
      annotations.forEach(a::put);
    }
    return ContentBlob.of(MediaTypes.IMAGE_INDEX, CanonicalJson.render(node));
  }

  /** Parses index bytes. */
  public static ImageIndex parse(byte[] bytes) {
    JsonNode node = CanonicalJson.parse(bytes, "image index");
    List<Descriptor> manifests = new ArrayList<>();
    node.path("manifests").forEach(m -> manifests.add(Descriptor.fromJson(m)));
    Map<String, String> annotations = new TreeMap<>();
    node.path("annotations")
        .properties()
        .forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
    return new ImageIndex(manifests, annotations);
  }
}
