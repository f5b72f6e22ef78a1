package dev.strata.dsl.shell;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.SourcePosition;

/**
 * A variable expansion failed. The reason is BuildKit's text, wrapped as BuildKit wraps it, for
 * example {@code failed to process "${a:?}": a: is not allowed to be empty}. The lexer does not
 * know where the word came from; the instruction layer places the error with {@link #at}.
 */
public final class ExpansionException extends ContainerfileException {
  private static final long serialVersionUID = 1L;

  /** An error not yet placed in a file. */
  public ExpansionException(String reason) {
    super(reason);
  }

  private ExpansionException(String reason, SourcePosition position, String sourceLine) {
    super(reason, position, sourceLine);
  }

  /** Placing the error keeps its type, so callers can still tell an expansion error apart. */
  @Override
  public ExpansionException at(SourcePosition where, String line) {
    ContainerfileException placed = super.at(where, line);
    if (placed == this) {
      return this;
    }
    ExpansionException typed =
        new ExpansionException(
            placed.reason(), placed.position().orElse(null), placed.sourceLine().orElse(null));
    typed.setStackTrace(getStackTrace());
    return typed;
  }
}
