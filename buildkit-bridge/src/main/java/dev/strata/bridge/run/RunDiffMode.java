package dev.strata.bridge.run;

import java.util.Locale;
import java.util.Map;

/**
 * How a RUN's changes are captured: over an overlay mount whose upperdir becomes the layer, or by
 * the walking diff (a copy of the rootfs, compared entry by entry before and after the RUN) where
 * overlayfs is not available; {@code auto} probes once per executor. Chosen by {@value
 * #ENVIRONMENT}. Both give the same layer bytes.
 */
public enum RunDiffMode {
  AUTO,
  OVERLAY,
  WALK;

  /** The environment variable that forces a mode: {@code auto}, {@code overlay} or {@code walk}. */
  public static final String ENVIRONMENT = "STRATA_RUN_DIFF";

  /** The mode {@code value} names (any case); blank is {@link #AUTO}. */
  public static RunDiffMode parse(String value) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    for (RunDiffMode mode : values()) {
      if (mode.id().equals(value.strip().toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        ENVIRONMENT + "='" + value + "' is not a RUN diff mode; use auto, overlay or walk");
  }

  /** The mode {@value #ENVIRONMENT} in {@code environment} asks for ({@link #AUTO} if unset). */
  public static RunDiffMode fromEnvironment(Map<String, String> environment) {
    return parse(environment.get(ENVIRONMENT));
  }

  /** The name used in {@value #ENVIRONMENT}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
