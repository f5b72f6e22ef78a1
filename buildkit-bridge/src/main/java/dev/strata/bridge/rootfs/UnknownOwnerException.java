package dev.strata.bridge.rootfs;

/** A user or group name that the image's own passwd or group file does not define. */
public final class UnknownOwnerException extends Exception {
  public UnknownOwnerException(String message) {
    super(message);
  }
}
