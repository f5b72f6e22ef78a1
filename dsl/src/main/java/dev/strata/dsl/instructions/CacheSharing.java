package dev.strata.dsl.instructions;

import java.util.Locale;

/** How concurrent builds share a cache mount ({@code sharing=}); {@code shared} by default. */
public enum CacheSharing {
  SHARED,
  PRIVATE,
  LOCKED;

  /** The word as written in a Containerfile. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
