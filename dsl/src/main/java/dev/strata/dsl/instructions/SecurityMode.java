package dev.strata.dsl.instructions;

import java.util.Locale;

/** {@code RUN --security}: {@code sandbox} (default) or {@code insecure} (privileged). */
public enum SecurityMode {
  SANDBOX,
  INSECURE;

  static SecurityMode parse(String value) {
    for (SecurityMode m : values()) {
      if (m.text().equals(value)) {
        return m;
      }
    }
    throw new InstructionError("security \"" + value + "\" is not valid", "--security=" + value);
  }

  /** The word as written in a Containerfile. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
