package dev.strata.disk.ext4;

import java.util.UUID;

/**
 * What names one filesystem: its UUID, volume label (at most 16 bytes), directory hash seed and the
 * time written into the superblock and the inodes the writer makes itself (lost+found, journal).
 */
public record Ext4Options(UUID uuid, String label, UUID hashSeed, long timeSeconds) {
  public Ext4Options {
    if (label.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 16) {
      throw new IllegalArgumentException("an ext4 label holds at most 16 bytes: " + label);
    }
  }
}
