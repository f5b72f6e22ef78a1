package dev.strata.cli;

import dev.strata.catalog.DiskImage;
import dev.strata.disk.build.DiskOutput;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The catalog's record of disks just made, by {@code strata build} or {@code strata disk}. */
final class DiskRecords {
  private DiskRecords() {}

  static List<DiskImage> of(List<DiskOutput> outputs) {
    Instant now = Instant.now();
    return outputs.stream()
        .map(
            o ->
                new DiskImage(
                    o.type().typeName(),
                    o.file().toAbsolutePath().toString(),
                    o.size(),
                    Optional.of("sha256:" + o.sha256()),
                    now))
        .toList();
  }
}
