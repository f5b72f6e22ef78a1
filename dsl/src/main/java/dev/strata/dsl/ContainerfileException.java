package dev.strata.dsl;

import java.util.Optional;

/**
 * The one error type of the Containerfile language: what is wrong, and where (file, 1-based line
 * and column, the offending source line). Every failure of the parser, the instruction layer and
 * variable expansion surfaces as this type, so callers never see another exception for bad input.
 */
public class ContainerfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final SourcePosition position;
  private final String sourceLine;

  /** An error at a position; {@code sourceLine} is the physical line shown under the message. */
  public ContainerfileException(String reason, SourcePosition position, String sourceLine) {
    super(reason);
    this.reason = reason;
    this.position = position;
    this.sourceLine = sourceLine;
  }

  /** An error whose place is not known yet; the layer that knows it rethrows with {@link #at}. */
  public ContainerfileException(String reason) {
    this(reason, null, null);
  }

  /** The bare message, without position (BuildKit's wording where BuildKit has one). */
  public String reason() {
    return reason;
  }

  public Optional<SourcePosition> position() {
    return Optional.ofNullable(position);
  }

  public Optional<String> sourceLine() {
    return Optional.ofNullable(sourceLine);
  }

  /** The same error placed at {@code where}, keeping a position it already has. */
  public ContainerfileException at(SourcePosition where, String line) {
    if (position != null && position.file() != null) {
      return this;
    }
    SourcePosition placed = position == null ? where : position.inFile(where.file());
    ContainerfileException placedError =
        new ContainerfileException(reason, placed, sourceLine != null ? sourceLine : line);
    placedError.setStackTrace(getStackTrace());
    return placedError;
  }

  /**
   * The error as a user reads it: {@code FILE:LINE:COL: message}, then the offending line and a
   * caret under the column.
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    if (position != null) {
      out.append(position).append(": ");
    }
    out.append(reason);
    if (sourceLine != null && position != null) {
      String shown = sourceLine.replace("\t", " ");
      out.append('\n').append("  ").append(shown).append('\n').append("  ");
      int caret = Math.max(1, Math.min(position.column(), shown.length() + 1));
      out.append(" ".repeat(caret - 1)).append('^');
    }
    return out.toString();
  }

  @Override
  public String getMessage() {
    return position == null ? reason : position + ": " + reason;
  }
}
