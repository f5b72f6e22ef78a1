package dev.strata.dsl.instructions;

import java.util.Locale;

/** {@code RUN --network}: the sandbox's network, {@code default} unless asked. */
public enum NetworkMode {
  DEFAULT,
  NONE,
  HOST;

  static NetworkMode parse(String value) {
    for (NetworkMode m : values()) {
      if (m.text().equals(value)) {
        return m;
      }
    }
    throw new InstructionError("invalid network mode \"" + value + "\"", "--network=" + value);
  }

  /** The word as written in a Containerfile. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
