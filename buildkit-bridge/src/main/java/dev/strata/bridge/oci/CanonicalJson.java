package dev.strata.bridge.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one JSON rendering of OCI documents: keys sorted at every level, no whitespace, UTF-8. A
 * document is rendered once and digested from those bytes, never re-serialized.
 */
final class CanonicalJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(SerializationFeature.INDENT_OUTPUT).build();

  private CanonicalJson() {}

  static byte[] render(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(sorted(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always renders", e);
    }
  }

  static JsonNode parse(byte[] bytes, String what) {
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = MAPPER.createObjectNode();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      for (String name : names) {
        out.set(name, sorted(node.get(name)));
      }
      return out;
    }
    if (node.isArray()) {
      var out = MAPPER.createArrayNode();
      node.forEach(child -> out.add(sorted(child)));
      return out;
    }
    return node;
  }
}
