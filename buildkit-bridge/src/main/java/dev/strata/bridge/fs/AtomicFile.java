package dev.strata.bridge.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files written whole or not at all: the bytes go to a temporary file beside the target ({@code
 * .incoming-*.tmp}, which {@code strata store gc} sweeps when a killed process left one) and are
 * renamed over it, so a reader sees the old content or the new one, never part of it.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** Replaces {@code target} with {@code bytes}, making its folder first if needed. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
    try {
      Files.write(temp, bytes);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
