package dev.strata.dsl.instructions;

import java.util.regex.Pattern;

/**
 * The {@code --chmod} rule of COPY and ADD: an octal mode up to {@code 07777}, or a symbolic mode
 * as chmod(1) writes it ({@code u+x,go-w}).
 */
final class FileMode {
  private FileMode() {}

  private static final Pattern SYMBOLIC =
      Pattern.compile(
          "[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+(?:,[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)*");

  static void check(String chmod) {
    if (chmod.isEmpty()) {
      return;
    }
    InstructionError nonOctal =
        new InstructionError(
            "invalid chmod parameter: '"
                + chmod
                + "'. it should be octal string and between 0 and 07777",
            "--chmod=" + chmod);
    char first = chmod.charAt(0);
    if (first >= '0' && first <= '9' || first == '+' || first == '-') {
      if (!chmod.matches("[0-7]+")) {
        throw nonOctal;
      }
      long value;
      try {
        value = Long.parseLong(chmod, 8);
      } catch (NumberFormatException e) {
        throw nonOctal;
      }
      if (value > 07777) {
        throw nonOctal;
      }
      return;
    }
    if (!SYMBOLIC.matcher(chmod).matches()) {
      throw nonOctal;
    }
  }
}
