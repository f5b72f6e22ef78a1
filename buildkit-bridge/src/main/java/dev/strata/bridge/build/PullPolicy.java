package dev.strata.bridge.build;

import java.util.Locale;

/** When FROM asks a registry rather than the local store, as podman's {@code --pull}. */
public enum PullPolicy {
  /** The local store first; a registry only for images it lacks (the default). */
  MISSING,
  /** Always ask the registry, so a moved tag is seen. */
  ALWAYS,
  /** Only the local store; an image it lacks is an error. */
  NEVER;

  /** Parses {@code missing}, {@code always} or {@code never}. */
  public static PullPolicy parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--pull must be missing, always or never, not '" + text + "'");
    }
  }
}
