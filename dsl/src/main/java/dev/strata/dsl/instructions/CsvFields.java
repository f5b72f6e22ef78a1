package dev.strata.dsl.instructions;

import java.util.ArrayList;
import java.util.List;

/**
 * One CSV record split into fields as {@code go-csvvalue} does for {@code --mount} and {@code
 * --device}: comma-separated, a field starting with {@code "} is quoted and {@code ""} inside it is
 * a quote.
 */
final class CsvFields {
  private CsvFields() {}

  static List<String> parse(String line) {
    List<String> fields = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      StringBuilder field = new StringBuilder();
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("extraneous or missing \" in quoted-field");
          }
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            i++;
            if (i < n && line.charAt(i) != ',') {
              throw new IllegalArgumentException("extraneous or missing \" in quoted-field");
            }
            break;
          }
          field.append(c);
          i++;
        }
      } else {
        while (i < n && line.charAt(i) != ',') {
          char c = line.charAt(i);
          if (c == '"') {
            throw new IllegalArgumentException("bare \" in non-quoted-field");
          }
          field.append(c);
          i++;
        }
      }
      fields.add(field.toString());
      if (i >= n) {
        return fields;
      }
      i++; // the comma
    }
  }
}
