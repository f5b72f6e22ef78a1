package dev.strata.packages;

import java.util.Optional;

/**
 * The common shape of Debian and RPM version strings, {@code [epoch:]version[-release]}, split as
 * both tools split it: the epoch before the first {@code :} (a number, 0 when absent), the release
 * after the last {@code -}. Each format orders the parts its own way.
 */
record EpochVersion(int epoch, String version, Optional<String> release) {

  /**
   * Splits {@code text}; {@code kind} names the format in errors ({@code Debian}, {@code RPM}).
   *
   * @throws IllegalArgumentException when the epoch is not a number or the version is empty
   */
  static EpochVersion split(String text, String kind) {
    String rest = text.strip();
    int epoch = 0;
    int colon = rest.indexOf(':');
    if (colon >= 0) {
      String epochText = rest.substring(0, colon);
      if (epochText.isEmpty() || !epochText.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException(
            "invalid " + kind + " version '" + text + "': the epoch before ':' must be a number");
      }
      epoch = Integer.parseInt(epochText);
      rest = rest.substring(colon + 1);
    }
    Optional<String> release = Optional.empty();
    int dash = rest.lastIndexOf('-');
    if (dash >= 0) {
      release = Optional.of(rest.substring(dash + 1));
      rest = rest.substring(0, dash);
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid " + kind + " version '" + text + "': it is empty");
    }
    return new EpochVersion(epoch, rest, release);
  }
}
