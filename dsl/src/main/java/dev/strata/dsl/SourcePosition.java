package dev.strata.dsl;

/**
 * A place in a Containerfile: the file's name as the user gave it (may be {@code null} for text
 * without a file), a 1-based line and a 1-based column (1 when only the line is known).
 */
public record SourcePosition(String file, int line, int column) {

  public SourcePosition {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /** The start of a line. */
  public static SourcePosition ofLine(String file, int line) {
    return new SourcePosition(file, line, 1);
  }

  public SourcePosition inFile(String name) {
    return new SourcePosition(name, line, column);
  }

  /** {@code FILE:LINE:COL}, or {@code LINE:COL} for text without a file. */
  @Override
  public String toString() {
    return (file == null ? "" : file + ":") + line + ":" + column;
  }
}
