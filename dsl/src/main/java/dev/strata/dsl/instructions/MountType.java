package dev.strata.dsl.instructions;

import java.util.Locale;

/** The kinds of {@code RUN --mount}. */
public enum MountType {
  BIND,
  CACHE,
  TMPFS,
  SECRET,
  SSH;

  /** The word as written in a Containerfile. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
