package dev.strata.bridge.build.copy;

/** A COPY or ADD that cannot be done as written; the message says what to change. */
public final class CopyException extends Exception {
  public CopyException(String message) {
    super(message);
  }

  public CopyException(String message, Throwable cause) {
    super(message, cause);
  }
}
