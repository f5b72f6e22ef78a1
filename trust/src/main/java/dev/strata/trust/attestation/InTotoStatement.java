package dev.strata.trust.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.oci.Digest;
import java.io.IOException;
import java.util.Objects;

/**
 * An in-toto Statement v1 about one image: subject = repository and manifest digest (hex without
 * {@code sha256:}, as cosign compares it), a predicate type and the predicate embedded verbatim.
 */
public record InTotoStatement(
    String subjectName, Digest subjectDigest, String predicateType, JsonNode predicate) {
  /** The statement type Strata writes; cosign 2.5 verifies it as well as v0.1. */
  public static final String TYPE = "https://in-toto.io/Statement/v1";

  /** The DSSE payload type of a statement. */
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  public InTotoStatement {
    Objects.requireNonNull(subjectName, "subjectName");
    Objects.requireNonNull(subjectDigest, "subjectDigest");
    Objects.requireNonNull(predicateType, "predicateType");
    Objects.requireNonNull(predicate, "predicate");
  }

  /** The compact JSON bytes that the envelope carries. */
  public byte[] bytes() {
    ObjectNode root = JSON.createObjectNode();
    root.put("_type", TYPE);
    ObjectNode subject = root.putArray("subject").addObject();
    subject.put("name", subjectName);
    subject.putObject("digest").put(subjectDigest.algorithm(), subjectDigest.hex());
    root.put("predicateType", predicateType);
    root.set("predicate", predicate);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always renders", e);
    }
  }

  /**
   * Parses a statement (v1 or v0.1) whose subjects include {@code digest}; the first subject that
   * matches names it.
   */
  public static InTotoStatement parse(byte[] bytes, Digest digest) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("the attestation statement is not JSON");
    }
    String type = root.path("_type").asText();
    if (!type.equals(TYPE) && !type.equals("https://in-toto.io/Statement/v0.1")) {
      throw new IllegalArgumentException("not an in-toto statement: _type '" + type + "'");
    }
    for (JsonNode subject : root.path("subject")) {
      if (digest.hex().equals(subject.path("digest").path(digest.algorithm()).asText())) {
        return new InTotoStatement(
            subject.path("name").asText(),
            digest,
            root.path("predicateType").asText(),
            root.path("predicate"));
      }
    }
    throw new IllegalArgumentException("the statement is not about " + digest);
  }
}
