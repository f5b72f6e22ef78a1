package dev.strata.bridge.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One {@code history} item of an image config; null fields are left out of the JSON. */
public record HistoryEntry(
    Instant created, String createdBy, String author, String comment, boolean emptyLayer) {

  ObjectNode toJson() {
    ObjectNode node = CanonicalJson.MAPPER.createObjectNode();
    if (created != null) {
      node.put("created", created.toString());
    }
    if (createdBy != null) {
      node.put("created_by", createdBy);
    }
    if (author != null) {
      node.put("author", author);
    }
    if (comment != null) {
      node.put("comment", comment);
    }
    if (emptyLayer) {
      node.put("empty_layer", true);
    }
    return node;
  }

  static HistoryEntry fromJson(JsonNode node) {
    return new HistoryEntry(
        node.hasNonNull("created") ? Instant.parse(node.get("created").asText()) : null,
        node.hasNonNull("created_by") ? node.get("created_by").asText() : null,
        node.hasNonNull("author") ? node.get("author").asText() : null,
        node.hasNonNull("comment") ? node.get("comment").asText() : null,
        node.path("empty_layer").asBoolean(false));
  }
}
