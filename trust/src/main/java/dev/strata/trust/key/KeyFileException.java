package dev.strata.trust.key;

import java.io.IOException;

/**
 * A key file that cannot be used: unreadable, of an unsupported type, or a wrong password. The
 * message names the file and what to do; it never contains key material.
 */
public final class KeyFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public KeyFileException(String message) {
    super(message);
  }
}
