package dev.strata.bridge.run;

import java.io.IOException;

/** A RUN could not be set up: bad mount, missing secret, no usable runtime. Says what to do. */
public final class RunSetupException extends IOException {
  public RunSetupException(String message) {
    super(message);
  }

  public RunSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
