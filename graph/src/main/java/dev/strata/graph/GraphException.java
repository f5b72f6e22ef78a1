package dev.strata.graph;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.SourcePosition;

/**
 * An error in a project as a whole rather than in one instruction: a cycle, an ambiguous FROM, an
 * invalid strata.yaml or strata.lock. It is a {@link ContainerfileException} so every caller that
 * reports input errors (file:line:col, exit code 2) reports these too.
 */
public class GraphException extends ContainerfileException {
  private static final long serialVersionUID = 1L;

  /** An error at a place in a file; {@code sourceLine} may be {@code null}. */
  public GraphException(String reason, SourcePosition position, String sourceLine) {
    super(reason, position, sourceLine);
  }

  /** An error that is not about one place. */
  public GraphException(String reason) {
    super(reason);
  }
}
