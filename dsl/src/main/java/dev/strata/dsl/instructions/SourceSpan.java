package dev.strata.dsl.instructions;

import dev.strata.dsl.SourcePosition;

/**
 * Where an instruction came from: the file (may be {@code null}), its 1-based first and last
 * physical line, and the logical line as the parser joined it.
 */
public record SourceSpan(String file, int startLine, int endLine, String original) {

  /** The start of the instruction's first line. */
  public SourcePosition start() {
    return SourcePosition.ofLine(file, Math.max(1, startLine));
  }
}
