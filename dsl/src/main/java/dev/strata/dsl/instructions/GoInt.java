package dev.strata.dsl.instructions;

import dev.strata.dsl.GoText;

/** Go's {@code strconv.ParseInt(s, 10, 32)} with its error texts. */
final class GoInt {
  private GoInt() {}

  static long parseInt32(String s) {
    String prefix = "strconv.ParseInt: parsing " + GoText.quote(s) + ": ";
    if (!s.matches("[+-]?[0-9]+")) {
      throw new InstructionError(prefix + "invalid syntax");
    }
    try {
      long v = Long.parseLong(s);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new InstructionError(prefix + "value out of range");
    }
  }
}
