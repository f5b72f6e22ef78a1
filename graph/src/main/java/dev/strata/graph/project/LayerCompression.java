package dev.strata.graph.project;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the layers a build writes are compressed: gzip (the default; every tool reads it) or zstd
 * (several times less CPU for a smaller blob; containers-storage, containerd 1.5+ and Docker 23+
 * read it). Chosen project-wide by strata.yaml's {@code compression:} or {@code strata build
 * --compression}; part of every step's cache key, so a build never reuses layers of the other kind.
 */
public enum LayerCompression {
  GZIP,
  ZSTD;

  /** The name users write: {@code gzip} or {@code zstd}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The compression named {@code value} ({@code gzip} or {@code zstd}).
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static LayerCompression parse(String value) {
    for (LayerCompression c : values()) {
      if (c.id().equals(value)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown layer compression '" + value + "' (use " + names() + ")");
  }

  /** The allowed names, for messages: {@code gzip or zstd}. */
  public static String names() {
    return Arrays.stream(values()).map(LayerCompression::id).collect(Collectors.joining(" or "));
  }
}
