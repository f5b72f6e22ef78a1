package dev.strata.dsl.instructions;

import java.util.List;
import java.util.Locale;

/** {@code RUN --device=<cdi name>[,required]}: a CDI device to expose to the command. */
public record RunDevice(String name, boolean required) {

  /** Parses one {@code --device} value as BuildKit's {@code ParseDevice}. */
  public static RunDevice parse(String value) {
    List<String> fields;
    try {
      fields = CsvFields.parse(value);
    } catch (IllegalArgumentException e) {
      throw new InstructionError("failed to parse csv devices: " + e.getMessage());
    }
    String name = "";
    boolean required = false;
    for (String field : fields) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
      String v = eq < 0 ? "" : field.substring(eq + 1);
      if (eq < 0) {
        if (key.equals("required")) {
          required = true;
          continue;
        }
        if (name.isEmpty()) {
          name = field;
          continue;
        }
        throw new InstructionError("invalid field '" + field + "' must be a key=value pair");
      }
      switch (key) {
        case "name" -> {
          if (!name.isEmpty()) {
            throw new InstructionError("device name already set to " + name);
          }
          name = v;
        }
        case "required" -> required = GoBool.parse(key, v);
        default -> {
          if (name.isEmpty()) {
            name = field;
            continue;
          }
          throw new InstructionError(
              Suggestion.wrap(
                  "unexpected key '" + key + "' in '" + field + "'",
                  key,
                  List.of("name", "required"),
                  true));
        }
      }
    }
    return new RunDevice(name, required);
  }
}
