package dev.strata.bridge.build;

import dev.strata.dsl.instructions.SourceSpan;
import java.io.IOException;

/**
 * A build step that failed for a reason the user can act on; the message starts with the
 * Containerfile and line of the instruction when there is one.
 */
public final class BuildException extends IOException {
  private static final long serialVersionUID = 1L;

  public BuildException(String message) {
    super(message);
  }

  public BuildException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure of the instruction at {@code where}. */
  public static BuildException at(SourceSpan where, String message) {
    return new BuildException(place(where) + message);
  }

  /** A failure of the instruction at {@code where}, caused by {@code cause}. */
  public static BuildException at(SourceSpan where, String message, Throwable cause) {
    return new BuildException(place(where) + message, cause);
  }

  private static String place(SourceSpan where) {
    if (where == null) {
      return "";
    }
    String file = where.file() == null ? "Containerfile" : where.file();
    return file + ":" + Math.max(1, where.startLine()) + ": ";
  }
}
