package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.List;

/**
 * {@code HEALTHCHECK}: {@code test} is {@code ["NONE"]}, {@code ["CMD", args...]} (exec form) or
 * {@code ["CMD-SHELL", text]}; durations are zero when unset; never expanded.
 */
public record Healthcheck(
    SourceSpan location,
    List<String> test,
    Duration interval,
    Duration timeout,
    Duration startPeriod,
    Duration startInterval,
    int retries)
    implements Instruction {

  public Healthcheck {
    test = ImmutableList.copyOf(test);
  }

  /** Whether this is {@code HEALTHCHECK NONE} (disable the base image's check). */
  public boolean isNone() {
    return test.size() == 1 && test.get(0).equals("NONE");
  }
}
