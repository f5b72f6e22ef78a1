package dev.strata.dsl.syntax;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON (exec) form of an instruction's arguments, decided as BuildKit's {@code parseJSON}: the
 * text, left-trimmed, starts with {@code [} and is one whole valid JSON value (strict, like Go's
 * {@code encoding/json}: no trailing text, no single quotes, no raw control characters). An array
 * with a non-string element is a hard error; any other failure means "not exec form".
 */
final class ExecForm {
  static final String NOT_STRING_ARRAY =
      "when using JSON array syntax, arrays must be comprised of strings only";

  // Go's decoder nests 10000 deep; Jackson's default (1000) would turn deep arrays into shell form.
  private static final ObjectMapper STRICT_JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(10_000).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ExecForm() {}

  /** The strings of the array, or empty when {@code text} is not a JSON array. */
  static Optional<List<String>> parse(String text) {
    String rest = GoText.trimLeftSpace(text);
    if (!rest.startsWith("[")) {
      return Optional.empty();
    }
    JsonNode array;
    try {
      array = STRICT_JSON.readTree(rest);
    } catch (JsonProcessingException | RuntimeException notJson) {
      return Optional.empty();
    }
    if (array == null || !array.isArray()) {
      return Optional.empty();
    }
    List<String> values = new ArrayList<>(array.size());
    for (JsonNode element : array) {
      if (!element.isTextual()) {
        throw new ContainerfileException(NOT_STRING_ARRAY);
      }
      values.add(element.textValue());
    }
    return Optional.of(values);
  }
}
