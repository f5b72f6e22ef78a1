package dev.strata.dsl.eval;

/**
 * What a FROM, {@code COPY --from} or {@code RUN --mount=from=} points at: an earlier stage of the
 * same file, an external image (or named context), or {@code scratch}.
 */
public sealed interface StageReference {

  /** Stage {@code index} of this file. */
  record StageRef(int index, String name) implements StageReference {}

  /** An image reference (or build context name) resolved outside this file. */
  record ImageRef(String reference) implements StageReference {}

  /** The empty image. */
  record Scratch() implements StageReference {}
}
