package dev.strata.catalog;

import java.time.Instant;
import java.util.Optional;

/** A disk image made from a build: its type (qcow2, raw, …), file, size and when it was made. */
public record DiskImage(
    String type, String path, long size, Optional<String> digest, Instant madeAt) {
  public DiskImage {
    if (type == null || type.isBlank() || path == null || path.isBlank()) {
      throw new IllegalArgumentException("a disk image needs a type and a path");
    }
    if (madeAt == null) {
      throw new IllegalArgumentException("a disk image needs the time it was made");
    }
  }
}
