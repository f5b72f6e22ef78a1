package dev.strata.bridge.tar;

import java.io.IOException;

/** An archive entry that would land outside the directory it is extracted into. */
public final class UnsafeEntryException extends IOException {
  private static final long serialVersionUID = 1L;

  UnsafeEntryException(String message) {
    super(message);
  }
}
