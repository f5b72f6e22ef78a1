package dev.strata.graph;

/** How a node uses another node's image: as its base, or as a source of files or a mount. */
public enum EdgeKind {
  /** {@code FROM parent} (in the target stage's chain or another stage the target needs). */
  FROM,
  /** {@code COPY --from=parent-image}. */
  COPY_FROM,
  /** {@code RUN --mount=from=parent-image}. */
  MOUNT_FROM;

  /** The instruction as a user writes it. */
  public String instruction() {
    return switch (this) {
      case FROM -> "FROM";
      case COPY_FROM -> "COPY --from";
      case MOUNT_FROM -> "RUN --mount=from";
    };
  }
}
