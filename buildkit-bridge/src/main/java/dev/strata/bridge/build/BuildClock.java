package dev.strata.bridge.build;

import java.time.Instant;
import java.util.Optional;

/**
 * The time a build writes into configs, history and new files: {@code SOURCE_DATE_EPOCH} when set
 * (so two builds give the same bytes), else the wall clock, as docker does.
 */
public record BuildClock(Optional<Instant> sourceDateEpoch) {

  /** The build's "now". */
  public Instant now() {
    return sourceDateEpoch.orElseGet(Instant::now);
  }
}
