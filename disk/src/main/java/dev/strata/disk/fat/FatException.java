package dev.strata.disk.fat;

import java.io.IOException;

/** A tree FAT32 cannot hold, or a partition too small for it; the message says which and where. */
public final class FatException extends IOException {
  public FatException(String message) {
    super(message);
  }
}
