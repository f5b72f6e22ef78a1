package dev.strata.bridge.registry;

import java.io.IOException;

/**
 * A registry operation that failed, with what kind of failure it was and a message a user can act
 * on. Messages name the registry and image, never a credential.
 */
public final class RegistryAccessException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that react differently (e.g. fall back from a mirror). */
  public enum Kind {
    /** The repository, tag, manifest or blob does not exist. */
    NOT_FOUND,
    /** Credentials are missing, or were rejected. */
    UNAUTHORIZED,
    /** TLS could not be established or verified. */
    TLS,
    /** The registry could not be reached, or kept failing (5xx) after retries. */
    UNREACHABLE,
    /** The registry answered something Strata cannot use (bad digest, invalid manifest, ...). */
    PROTOCOL
  }

  private final Kind kind;

  public RegistryAccessException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public RegistryAccessException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }
}
