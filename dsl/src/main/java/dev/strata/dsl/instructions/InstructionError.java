package dev.strata.dsl.instructions;

import dev.strata.dsl.ContainerfileException;

/**
 * An instruction-layer error that still lacks a position, remembering the word it is about so the
 * parser can point at that word's column.
 */
final class InstructionError extends ContainerfileException {
  private static final long serialVersionUID = 1L;

  private final String token;

  InstructionError(String reason, String token) {
    super(reason);
    this.token = token;
  }

  InstructionError(String reason) {
    this(reason, null);
  }

  /** The offending word as written, or {@code null}. */
  String token() {
    return token;
  }
}
