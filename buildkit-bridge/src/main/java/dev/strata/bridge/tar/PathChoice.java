package dev.strata.bridge.tar;

import java.util.List;

/**
 * What a layer holds for one path of the tree it is written from (see {@link TreeFilter}): the
 * path's own entry or not, whether a directory's children are looked at, and synthetic content-less
 * entries (whiteouts, opaque markers) to write in the path's place or beside it.
 */
public record PathChoice(boolean emit, boolean descend, List<TarEntry> synthetic) {
  private static final PathChoice KEEP = new PathChoice(true, true, List.of());
  private static final PathChoice SKIP = new PathChoice(false, true, List.of());
  private static final PathChoice PRUNE = new PathChoice(false, false, List.of());

  public PathChoice {
    synthetic = List.copyOf(synthetic);
    for (TarEntry entry : synthetic) {
      if (entry.size() != 0) {
        throw new IllegalArgumentException("synthetic entries have no content: " + entry.path());
      }
    }
  }

  /** The path's entry, and (for a directory) its children. */
  public static PathChoice keep() {
    return KEEP;
  }

  /** No entry for the path, but a directory's children are still looked at. */
  public static PathChoice skip() {
    return SKIP;
  }

  /** Neither the path nor anything below it. */
  public static PathChoice prune() {
    return PRUNE;
  }

  /** Only {@code entries} instead of the path (and nothing below it). */
  public static PathChoice replaceWith(List<TarEntry> entries) {
    return new PathChoice(false, false, entries);
  }

  /** The path's entry and its children, plus {@code entries}. */
  public static PathChoice keepWith(List<TarEntry> entries) {
    return new PathChoice(true, true, entries);
  }
}
