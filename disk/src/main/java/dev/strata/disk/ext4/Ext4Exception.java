package dev.strata.disk.ext4;

import java.io.IOException;

/** A tree ext4 cannot hold, or a filesystem too small for it; the message says which and where. */
public final class Ext4Exception extends IOException {
  public Ext4Exception(String message) {
    super(message);
  }
}
