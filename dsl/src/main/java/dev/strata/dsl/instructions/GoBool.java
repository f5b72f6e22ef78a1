package dev.strata.dsl.instructions;

/** Go's {@code strconv.ParseBool}, failing with BuildKit's {@code invalid value for k: v}. */
final class GoBool {
  private GoBool() {}

  static boolean parse(String key, String value) {
    return switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw new InstructionError("invalid value for " + key + ": " + value);
    };
  }
}
