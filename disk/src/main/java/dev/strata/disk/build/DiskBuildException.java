package dev.strata.disk.build;

import java.io.IOException;

/** A disk image could not be made: what failed, and what to do about it. */
public final class DiskBuildException extends IOException {
  public DiskBuildException(String message) {
    super(message);
  }

  public DiskBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
