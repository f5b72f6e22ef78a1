package dev.strata.bridge.registry;

import java.time.Duration;

/**
 * How often and how patiently a registry call is retried when it fails transiently (a 5xx or 429
 * answer, a reset or refused connection): up to {@code attempts} tries, waiting {@code firstDelay}
 * and then twice as long each time. Anything else (not found, unauthorized, TLS) fails at once.
 */
public record RetryPolicy(int attempts, Duration firstDelay) {
  /** Five tries over about 7.5 s: rides out a registry restart, gives up on a dead one. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500));

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
    }
    if (firstDelay.isNegative()) {
      throw new IllegalArgumentException("negative delay " + firstDelay);
    }
  }

  /** One registry call. */
  @FunctionalInterface
  interface Call<T> {
    T call() throws Exception;
  }

  <T> T run(String what, RegistryFailures failures, Call<T> call) throws RegistryAccessException {
    long delay = firstDelay.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (!RegistryFailures.isTransient(e) || attempt >= attempts) {
          throw failures.translate(e, what, attempt);
        }
      }
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryAccessException(
            RegistryAccessException.Kind.UNREACHABLE, "interrupted while retrying to " + what, e);
      }
      delay *= 2;
    }
  }
}
